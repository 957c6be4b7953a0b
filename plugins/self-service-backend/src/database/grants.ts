import { randomUUID } from 'node:crypto';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { Knex } from 'knex';
import { toDate } from './rows';
import type { GrantPurpose, GrantRow, RequestRow } from './tables';
import { hashToken, newGrantToken } from './util';

/** A grant as handed to its one legitimate user; the token is never stored. @internal */
export interface MintedGrant {
  id: string;
  token: string;
  expiresAt: Date;
  /** The saved plan file an auto-approval grant is bound to, if any. */
  planFileDigest?: string;
}

/**
 * Mints a grant of the request, bound to its template and parameters, and
 * for 'apply' (the default) to its plan. A 'destroy' grant is not bound to a
 * plan: the destroy plan is made against the live state when it runs.
 * `taskId` binds it to one scaffolder task up front (auto-approval); for a
 * launch it stays null until the launched task's id is known, and the token,
 * passed only as a task secret, is what ties the grant to that task.
 * @internal
 */
export async function mintGrant(
  tx: Knex.Transaction,
  request: RequestRow,
  options: {
    taskId: string | null;
    now: Date;
    ttlMs: number;
    purpose?: GrantPurpose;
    /** Auto-approval: the saved plan file the creating task will apply. */
    planFileDigest?: string;
  },
): Promise<MintedGrant> {
  const purpose = options.purpose ?? 'apply';
  const token = newGrantToken();
  const id = randomUUID();
  const expiresAt = new Date(options.now.getTime() + options.ttlMs);
  const planFileDigest = purpose === 'apply' ? options.planFileDigest : undefined;
  await tx('grants').insert({
    id,
    request_id: request.id,
    token_hash: hashToken(token),
    template_ref: request.template_ref,
    parameters_hash: request.parameters_hash,
    plan_hash: purpose === 'apply' ? request.plan_hash : null,
    purpose,
    plan_file_digest: planFileDigest ?? null,
    task_id: options.taskId,
    expires_at: expiresAt,
    consumed_at: null,
    consumed_by_task: null,
    created_at: options.now,
  });
  return { id, token, expiresAt, ...(planFileDigest ? { planFileDigest } : {}) };
}

/**
 * A retried create step must be able to apply; the first response's token
 * is gone (only its hash is kept), so the same unconsumed grant gets a new
 * token, which invalidates the old one. A retried task planned again, so
 * the grant binds the plan file of this attempt (its change set is the
 * recorded one: the caller checked the plan hash).
 * @internal
 */
export async function rotateGrantToken(
  tx: Knex.Transaction,
  requestId: string,
  taskId: string,
  now: Date,
  planFileDigest?: string,
): Promise<MintedGrant | undefined> {
  const grant = await tx<GrantRow>('grants')
    .where({ request_id: requestId, task_id: taskId, purpose: 'apply' })
    .whereNull('consumed_at')
    .where('expires_at', '>', now)
    .first();
  if (!grant) {
    return undefined;
  }
  const token = newGrantToken();
  const count = await tx('grants')
    .where({ id: grant.id })
    .whereNull('consumed_at')
    .update({
      token_hash: hashToken(token),
      plan_file_digest: planFileDigest ?? null,
    });
  if (count !== 1) return undefined;
  return {
    id: grant.id,
    token,
    expiresAt: toDate(grant.expires_at),
    ...(planFileDigest ? { planFileDigest } : {}),
  };
}

/** What a redemption claims; every field must match the grant. @internal */
export interface RedeemClaim {
  requestId: string;
  templateRef: string;
  parametersHash: string;
  planHash: string;
  /** sha256 of the plan file the task applies; required by a grant bound to one. */
  planFileDigest?: string;
  taskId: string;
  token: string;
  /** What the task redeems for; 'apply' unless said otherwise. */
  purpose?: GrantPurpose;
}

/**
 * The redemption itself: one guarded UPDATE that only matches an unconsumed,
 * unexpired grant whose token and bindings all match. Its row count decides.
 * @internal
 */
export async function consumeGrant(
  tx: Knex.Transaction,
  claim: RedeemClaim,
  now: Date,
): Promise<string> {
  const tokenHash = hashToken(claim.token);
  const purpose = claim.purpose ?? 'apply';
  const count = await tx('grants')
    .where({
      request_id: claim.requestId,
      purpose,
      token_hash: tokenHash,
      template_ref: claim.templateRef,
      parameters_hash: claim.parametersHash,
      // A destroy grant binds no plan; an apply grant binds the approved one.
      ...(purpose === 'apply' ? { plan_hash: claim.planHash } : {}),
    })
    .whereNull('consumed_at')
    .where('expires_at', '>', now)
    .where(q => q.where('task_id', claim.taskId).orWhereNull('task_id'))
    .where(q =>
      claim.planFileDigest
        ? q.whereNull('plan_file_digest').orWhere('plan_file_digest', claim.planFileDigest)
        : q.whereNull('plan_file_digest'),
    )
    .update({
      consumed_at: now,
      consumed_by_task: claim.taskId,
      task_id: claim.taskId,
    });
  const grant = await tx<GrantRow>('grants')
    .where({ request_id: claim.requestId, purpose })
    .first();
  if (count === 1 && grant) {
    return grant.id;
  }
  throw explainRefusal(grant, claim, tokenHash, now);
}

/**
 * Says why a redemption did not match. The token is checked first so that a
 * caller without it learns nothing about the grant's bindings.
 */
function explainRefusal(
  grant: GrantRow | undefined,
  claim: RedeemClaim,
  tokenHash: string,
  now: Date,
): Error {
  if (!grant) {
    return new NotAllowedError(
      `Request ${claim.requestId} has no ${claim.purpose ?? 'apply'} grant to redeem`,
    );
  }
  if (grant.token_hash !== tokenHash) {
    return new NotAllowedError('The grant token does not match');
  }
  if (grant.consumed_at !== null) {
    return new ConflictError(
      `The grant of request ${claim.requestId} was already redeemed at ${toDate(
        grant.consumed_at,
      ).toISOString()}`,
    );
  }
  if (toDate(grant.expires_at) <= now) {
    return new NotAllowedError(
      `The grant of request ${claim.requestId} expired at ${toDate(
        grant.expires_at,
      ).toISOString()}`,
    );
  }
  if (grant.template_ref !== claim.templateRef) {
    return new NotAllowedError(
      `templateRef: the grant is bound to ${grant.template_ref}, not ${claim.templateRef}`,
    );
  }
  if (grant.parameters_hash !== claim.parametersHash) {
    return new NotAllowedError(
      'parametersHash: the parameters differ from the approved parameters',
    );
  }
  if (grant.purpose === 'apply' && grant.plan_hash !== claim.planHash) {
    return new NotAllowedError(
      'planHash: the plan differs from the approved plan; nothing may be applied',
    );
  }
  if (grant.plan_file_digest && grant.plan_file_digest !== claim.planFileDigest) {
    return new NotAllowedError(
      'planFileDigest: the plan file is not the one this task planned and recorded; nothing may be applied',
    );
  }
  if (grant.task_id !== null && grant.task_id !== claim.taskId) {
    return new NotAllowedError(`taskId: the grant is bound to another scaffolder task`);
  }
  // Everything matched by now, so the row changed between the two statements.
  return new ConflictError(`The grant of request ${claim.requestId} changed concurrently`);
}
