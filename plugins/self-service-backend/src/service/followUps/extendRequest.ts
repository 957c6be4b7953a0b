import type { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ExtendRequestBody,
  type ExtendResponse,
  type SelfServiceRequest,
  selfServiceRequestCreatePermission,
} from '@internal/plugin-self-service-common';
import { resolveStages } from '@internal/plugin-self-service-node';
import type { SelfServiceStore } from '../../database/SelfServiceStore';
import type { Caller } from '../caller';
import type { SelfServiceSettings } from '../config';
import { mayManageResource } from '../destroyAccess';
import type { RequestNotifier } from '../notifier';

/** @internal */
export interface FollowUpDeps {
  store: SelfServiceStore;
  permissions: PermissionsService;
  notifier: RequestNotifier;
  settings: SelfServiceSettings;
  logger: LoggerService;
  now: () => Date;
}

/**
 * The resource a follow-up concerns, if the caller may manage it and the
 * permission policy lets them create requests (a follow-up is one).
 */
export async function loadManagedTarget(
  deps: Pick<FollowUpDeps, 'store' | 'permissions'>,
  id: string,
  caller: Caller,
  what: string,
): Promise<SelfServiceRequest> {
  const target = await deps.store.getRequest(id);
  if (!target) throw new NotFoundError(`Request ${id} not found`);
  if (!(await mayManageResource(deps.permissions, target, caller))) {
    throw new NotAllowedError(
      `Only the requester, a member of the owning team or an admin can ${what} this resource`,
    );
  }
  const [decision] = await deps.permissions.authorize(
    [{ permission: selfServiceRequestCreatePermission }],
    { credentials: caller.credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError('The permission policy does not allow creating requests');
  }
  return target;
}

/**
 * Asks for `days` more before a non-production resource expires. Within the
 * environment's `autoApproveDays` the extension is applied at once; up to
 * `maxDays` it becomes a request for the configured stage (the team leads
 * by default), decided in the inbox like any request: the quorum holds, and
 * the person asking cannot approve it. Beyond `maxDays` it is refused (400).
 * Either way the extension is its own request, on the resource's timeline.
 * @internal
 */
export async function extendRequest(
  deps: FollowUpDeps,
  id: string,
  body: ExtendRequestBody,
  caller: Caller,
): Promise<ExtendResponse> {
  const { store, settings, notifier } = deps;
  const target = await loadManagedTarget(deps, id, caller, 'extend');
  const policy = settings.extensions[target.environment];
  if (!target.expiresAt || !policy) {
    throw new ConflictError(
      `Request ${id} has no expiry (${target.environment} resources do not expire); there is nothing to extend`,
    );
  }
  if (body.days > policy.maxDays) {
    throw new InputError(
      `days: at most ${policy.maxDays} days for ${target.environment} in one extension, not ${body.days}`,
    );
  }
  const now = deps.now();
  const approval =
    body.days > policy.autoApproveDays
      ? {
          policy: {
            stages: resolveStages({
              base: [],
              findings: [
                {
                  code: 'lifecycle.extension-beyond-limit',
                  severity: 'require-approval',
                  stage: policy.stage,
                  message: '',
                },
              ],
              inline: [],
              templates: settings.guardrails.stages,
              team: target.team,
            }).stages,
            allowSelfApprovalOutsideProduction: false,
          },
          deadline: new Date(now.getTime() + settings.approvalTimeoutMs),
          finding: `${body.days} days is more than the ${policy.autoApproveDays} days ${target.environment} resources are extended without approval; the ${policy.stage} stage decides`,
        }
      : undefined;
  const result = await store.createExtension({
    targetId: id,
    requester: caller.userEntityRef,
    days: body.days,
    reason: body.reason,
    approval,
    now,
    grantTtlMs: settings.grantTtlMs,
  });
  notifier.changed(result.extension);
  if (result.extension.state === 'succeeded') notifier.resourceUpdated(result.target);
  deps.logger.info(
    `Request ${id}: extension ${result.extension.id} by ${body.days} day(s) asked by ${caller.userEntityRef} is ${result.extension.state}`,
  );
  return result;
}
