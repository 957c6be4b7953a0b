import type { AuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { hashParameters } from '@internal/plugin-self-service-node';
import { serviceToken } from '../../client';
import type { SelfServiceActionsClient } from '../../client';
import { heldGrants, type Grant } from './grant';

/**
 * Redeems the grant once per task (a checkpoint, so a retried task does not
 * redeem twice) as the scaffolder's service principal, then forgets the
 * token. Any refusal becomes a NotAllowedError saying nothing was changed.
 */
export async function redeemGrantOnce(options: {
  ctx: {
    checkpoint: (opts: {
      key: string;
      fn: () => Promise<void>;
    }) => Promise<void>;
    task: { id: string };
    input: { parameters?: unknown };
  };
  client: SelfServiceActionsClient;
  auth: AuthService;
  grant: Grant;
  templateRef: string;
  planHash: string;
  /** sha256 of the plan file about to be applied (apply only). */
  planFileDigest?: string;
  /** What would have happened: 'applied' or 'destroyed'. */
  outcome: 'applied' | 'destroyed';
  keyPrefix: string;
}): Promise<void> {
  const {
    ctx,
    client,
    auth,
    grant,
    templateRef,
    planHash,
    planFileDigest,
    outcome,
    keyPrefix,
  } = options;
  await ctx.checkpoint({
    key: `${keyPrefix}-${grant.requestId}`,
    fn: async () => {
      try {
        await client.redeemGrant(
          {
            requestId: grant.requestId,
            templateRef,
            parametersHash: hashParameters(
              ctx.input.parameters as Record<string, unknown>,
            ),
            planHash,
            ...(planFileDigest ? { planFileDigest } : {}),
            taskId: ctx.task.id,
            token: grant.token,
            // A destroy grant redeems only for a tear-down, and vice versa.
            ...(outcome === 'destroyed' ? { purpose: 'destroy' as const } : {}),
          },
          { token: await serviceToken(auth) },
        );
      } catch (e) {
        throw new NotAllowedError(
          `The grant for request ${grant.requestId} could not be redeemed, so nothing was ${outcome}: ${(e as Error).message}`,
        );
      }
    },
  });
  heldGrants.release(ctx.task.id);
}
