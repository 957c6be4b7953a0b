import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** Statuses of a scaffolder task. @internal */
export type ScaffolderTaskStatus =
  'open' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'skipped';

/** Where the status sync learns how an apply task ended. @internal */
export interface TaskStatusSource {
  /** Undefined when the scaffolder does not know the task. */
  getStatus(taskId: string): Promise<ScaffolderTaskStatus | undefined>;
}

/** Reads task status from the scaffolder API as the plugin itself. @internal */
export class ScaffolderTaskStatusSource implements TaskStatusSource {
  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
      fetch?: typeof fetch;
    },
  ) {}

  async getStatus(taskId: string): Promise<ScaffolderTaskStatus | undefined> {
    const { auth, discovery } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const response = await (this.options.fetch ?? fetch)(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const task = (await response.json()) as { status?: ScaffolderTaskStatus };
    return task.status;
  }
}
