import { mockServices } from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { captureLogger } from './fakes';

export const mockAuth = () => mockServices.auth({ pluginId: 'scaffolder' });

/** Runs an action's handler with a mock context; returns its outputs, error and log. */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: {
    workspacePath?: string;
    secrets?: Record<string, string>;
    templateInfo?: { entityRef: string; baseUrl?: string };
    taskId?: string;
    signal?: AbortSignal;
    isDryRun?: boolean;
  } = {},
) {
  const logger = captureLogger();
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      logger,
      workspacePath: options.workspacePath,
      secrets: options.secrets,
      templateInfo: options.templateInfo ?? {
        entityRef: 'template:default/postgres-database',
      },
      task: { id: options.taskId ?? 'task-1' },
    }),
    signal: options.signal,
    isDryRun: options.isDryRun,
  };
  let error: Error | undefined;
  try {
    await action.handler(ctx as any);
  } catch (e) {
    error = e as Error;
  }
  const outputs: Record<string, any> = Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(
      ([name, value]: [string, unknown]) => [name, value],
    ),
  );
  return { outputs, error, logger, log: logger.text() };
}
