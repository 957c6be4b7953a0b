import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { hashParameters } from '@internal/plugin-self-service-node';
import { serviceToken, type SelfServiceActionsClient } from '../../client';
import { type LaunchedOperation, templateRefOf } from '../shared';

/**
 * A task that names a request's grant (in its secrets, as the backend
 * launches apply and tear-down runs, or in its step inputs) proves it holds
 * that grant before Terraform touches the request's state: the backend
 * checks, without redeeming it, that the grant is unredeemed, unexpired and
 * bound to this task's template, its parameters (when the step has them)
 * and the operation. Anything a template, a step input or the task's
 * secrets say is a claim; only the backend's answer lets Terraform run. A
 * task started straight through the scaffolder API with another request's
 * id and a guessed, stolen or mismatched token stops here, before `init`.
 *
 * Checked once per task and step (a checkpoint), so a recovered task does
 * not fail on the grant it has redeemed since.
 */
export async function checkGrantBeforeTerraform(options: {
  ctx: {
    task: { id: string };
    templateInfo?: { entityRef: string };
    checkpoint: (opts: {
      key: string;
      fn: () => Promise<void>;
    }) => Promise<void>;
  };
  client?: SelfServiceActionsClient;
  auth?: AuthService;
  grant: { requestId: string; token?: string };
  operation: LaunchedOperation;
  /** The template parameters, when the step is given them. */
  parameters?: Record<string, unknown>;
  /** The checking action, for messages and the checkpoint key. */
  action: string;
  logger: LoggerService;
}): Promise<void> {
  const { ctx, client, auth, grant, operation, parameters, action, logger } =
    options;
  const refuse = (why: string) =>
    new NotAllowedError(
      `${action}: the ${operation} grant for request ${grant.requestId} was refused, so no Terraform command was run: ${why}`,
    );
  if (!grant.token) {
    throw refuse('the task names the request but carries no grant token');
  }
  if (!client || !auth) {
    throw refuse(
      'the action has no self-service client to check the grant with',
    );
  }
  const templateRef = templateRefOf(ctx);
  const token = grant.token;
  await ctx.checkpoint({
    key: `self-service-check-${action}-${operation}-${grant.requestId}`,
    fn: async () => {
      try {
        const checked = await client.checkGrant(
          {
            requestId: grant.requestId,
            templateRef,
            ...(parameters
              ? { parametersHash: hashParameters(parameters) }
              : {}),
            taskId: ctx.task.id,
            token,
            ...(operation !== 'apply' ? { purpose: operation } : {}),
          },
          { token: await serviceToken(auth) },
        );
        logger.info(
          `The backend checked the ${operation} grant for request ${grant.requestId} (${checked.checked.join(', ')}); it is redeemed only later, before anything changes`,
        );
      } catch (e) {
        throw refuse((e as Error).message);
      }
    },
  });
}
