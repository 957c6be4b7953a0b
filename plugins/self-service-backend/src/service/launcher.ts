import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';

/**
 * Starts the apply phase of an approved request. Behind an interface so
 * tests, and organisations with another runner, can supply their own.
 * @public
 */
export interface Launcher {
  /** Starts the run and returns its scaffolder task id. */
  launch(request: SelfServiceRequest, grantToken: string): Promise<{ taskId: string }>;
}

/**
 * Launches the same template with the same parameters through the
 * scaffolder API, as the plugin's own service identity. The grant token and
 * request id travel as task secrets, which the scaffolder never shows or
 * stores in the task spec.
 * @internal
 */
export class ScaffolderLauncher implements Launcher {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #fetch: typeof fetch;

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    fetch?: typeof fetch;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#fetch = options.fetch ?? fetch;
  }

  async launch(request: SelfServiceRequest, grantToken: string): Promise<{ taskId: string }> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const baseUrl = await this.#discovery.getBaseUrl('scaffolder');
    const response = await this.#fetch(`${baseUrl}/v2/tasks`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        templateRef: request.templateRef,
        values: request.parameters,
        secrets: {
          selfServiceRequestId: request.id,
          selfServiceGrantToken: grantToken,
        },
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { id?: unknown };
    if (typeof body.id !== 'string') {
      throw new Error('The scaffolder returned no task id');
    }
    return { taskId: body.id };
  }
}
