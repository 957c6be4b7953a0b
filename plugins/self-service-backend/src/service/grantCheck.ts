import { ConflictError, NotAllowedError } from '@backstage/errors';
import type {
  CheckGrantBody,
  CheckGrantResponse,
} from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import { toDate } from '../database/rows';

/** The states in which a grant of each purpose can still be redeemed. */
const USABLE_IN = {
  apply: ['approved', 'applying'],
  destroy: ['destroying'],
  // A change run's ticket is held on the live resource it changes.
  change: ['succeeded'],
} as const;

/**
 * Checks, without redeeming, that a scaffolder task holds a grant it could
 * redeem: the token belongs to a grant of the request, for the claimed
 * purpose, unredeemed and unexpired, bound to the claimed template (and the
 * parameters, plan and plan file when claimed) and not to another task, and
 * the request is in a state the purpose allows. Launched runs call this
 * before any Terraform command, so a task that names another request in its
 * secrets stops before `init` touches that request's state.
 *
 * The token is checked first: a caller without it learns only that no grant
 * of that request has it, whether or not the request exists.
 * @internal
 */
export class GrantChecker {
  constructor(
    private readonly options: {
      store: Pick<SelfServiceStore, 'findGrantByToken'>;
      now?: () => Date;
    },
  ) {}

  async check(body: CheckGrantBody): Promise<CheckGrantResponse> {
    const now = this.options.now?.() ?? new Date();
    const purpose = body.purpose ?? 'apply';
    const found = await this.options.store.findGrantByToken(
      body.requestId,
      body.token,
    );
    if (!found) {
      throw new NotAllowedError(
        `token: no grant of request ${body.requestId} has this token`,
      );
    }
    const { grant, state } = found;
    const checked: CheckGrantResponse['checked'] = ['token'];
    if (grant.purpose !== purpose) {
      throw new NotAllowedError(
        `purpose: the grant of request ${body.requestId} is for ${grant.purpose}, not ${purpose}`,
      );
    }
    checked.push('purpose');
    if (grant.consumed_at !== null && grant.consumed_at !== undefined) {
      throw new ConflictError(
        `The grant of request ${body.requestId} was already redeemed at ${toDate(
          grant.consumed_at,
        ).toISOString()}`,
      );
    }
    const expiresAt = toDate(grant.expires_at);
    if (expiresAt <= now) {
      throw new NotAllowedError(
        `The grant of request ${body.requestId} expired at ${expiresAt.toISOString()}`,
      );
    }
    if (!(USABLE_IN[purpose] as readonly string[]).includes(state)) {
      throw new ConflictError(
        `Request ${body.requestId} is ${state}; its ${purpose} grant cannot be redeemed`,
      );
    }
    if (grant.template_ref !== body.templateRef) {
      throw new NotAllowedError(
        `templateRef: the grant is bound to ${grant.template_ref}, not ${body.templateRef}`,
      );
    }
    checked.push('templateRef');
    if (body.parametersHash !== undefined) {
      if (grant.parameters_hash !== body.parametersHash) {
        throw new NotAllowedError(
          'parametersHash: the parameters differ from the approved parameters',
        );
      }
      checked.push('parametersHash');
    }
    if (body.planHash !== undefined && purpose === 'apply') {
      if (grant.plan_hash !== body.planHash) {
        throw new NotAllowedError(
          'planHash: the plan differs from the approved plan',
        );
      }
      checked.push('planHash');
    }
    if (body.planFileDigest !== undefined && grant.plan_file_digest) {
      if (grant.plan_file_digest !== body.planFileDigest) {
        throw new NotAllowedError(
          'planFileDigest: the plan file is not the one the grant is bound to',
        );
      }
      checked.push('planFileDigest');
    }
    if (grant.task_id !== null && grant.task_id !== body.taskId) {
      throw new NotAllowedError(
        'taskId: the grant is bound to another scaffolder task',
      );
    }
    checked.push('taskId');
    return {
      grantId: grant.id,
      requestId: grant.request_id,
      purpose: grant.purpose,
      templateRef: grant.template_ref,
      parametersHash: grant.parameters_hash,
      planHash: grant.plan_hash,
      taskId: grant.task_id,
      expiresAt: expiresAt.toISOString(),
      checked,
    };
  }
}
