import { ConflictError, NotFoundError } from '@backstage/errors';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { openFollowUp } from './followUps';
import { type MintedGrant, mintGrant } from './grants';
import { getRequestRow } from './queries';
import { rowToRequest, withTask } from './rows';
import { appendEvent, lockRequest, transitionRequest } from './transitions';

/** @internal */
export interface StartDestroyInput {
  id: string;
  actor: string;
  reason?: string;
  now: Date;
  grantTtlMs: number;
}

/** @internal */
export interface StartDestroyResult {
  request: SelfServiceRequest;
  grant: MintedGrant;
}

/**
 * succeeded -> destroying with its event, and the request's destroy grant,
 * in the caller's transaction. A request that is not succeeded is a
 * ConflictError and nothing is minted.
 * @internal
 */
export async function startDestroyInTx(
  tx: Knex.Transaction,
  input: StartDestroyInput,
): Promise<StartDestroyResult> {
  const { id, actor, now } = input;
  const row = await lockRequest(tx, id);
  if (!row) throw new NotFoundError(`Request ${id} not found`);
  if ((row.kind ?? 'provision') !== 'provision') {
    throw new ConflictError(
      `Request ${id} is a ${row.kind}; tear down the resource of request ${row.target_request_id}`,
    );
  }
  // A change being planned or applied works on the same state: one at a time.
  const change = await openFollowUp(tx, id, 'change');
  if (change) {
    throw new ConflictError(
      `A change of request ${id} (${change.id}) is ${change.state}; wait for it or withdraw it before tearing the resource down`,
    );
  }
  await transitionRequest(tx, {
    id,
    from: 'succeeded',
    to: 'destroying',
    actor,
    action: 'destroy-requested',
    reason: input.reason ?? `tear-down requested by ${actor}`,
    now,
  });
  // A retry after a failed tear-down mints afresh; the old grant is void.
  await tx('grants').where({ request_id: id, purpose: 'destroy' }).delete();
  const grant = await mintGrant(tx, row, {
    taskId: null,
    now,
    ttlMs: input.grantTtlMs,
    purpose: 'destroy',
  });
  return { request: rowToRequest((await getRequestRow(tx, id))!), grant };
}

/** @internal */
export interface RecordDestroyLaunchInput {
  id: string;
  taskId: string;
  actor: string;
  now: Date;
}

/**
 * Adds the launched tear-down task to a destroying request, with an event,
 * and binds the still unbound destroy grant to it.
 * @internal
 */
export async function recordDestroyLaunchInTx(
  tx: Knex.Transaction,
  input: RecordDestroyLaunchInput,
): Promise<SelfServiceRequest> {
  const { id, taskId, actor, now } = input;
  const row = await lockRequest(tx, id);
  if (!row) throw new NotFoundError(`Request ${id} not found`);
  if (row.state !== 'destroying') {
    throw new ConflictError(`Request ${id} is ${row.state}; nothing to launch`);
  }
  await tx('requests')
    .where({ id })
    .update({ task_ids: withTask(row, taskId), updated_at: now });
  await appendEvent(tx, {
    requestId: id,
    actor,
    from: 'destroying',
    to: 'destroying',
    action: 'launched',
    reason: `destroy task ${taskId} launched`,
    now,
  });
  await tx('grants')
    .where({ request_id: id, purpose: 'destroy' })
    .whereNull('task_id')
    .whereNull('consumed_at')
    .update({ task_id: taskId });
  return rowToRequest((await getRequestRow(tx, id))!);
}

/** @internal */
export interface AbortDestroyInput {
  id: string;
  actor: string;
  action: string;
  reason: string;
  now: Date;
}

/**
 * destroying -> succeeded: the tear-down could not start or failed, so the
 * resource (or part of it) is still there and stays live usage. The destroy
 * grant is voided so only a new tear-down, with a new grant, can run.
 * @internal
 */
export async function abortDestroyInTx(
  tx: Knex.Transaction,
  input: AbortDestroyInput,
): Promise<SelfServiceRequest> {
  const { id, actor, action, reason, now } = input;
  await transitionRequest(tx, {
    id,
    from: 'destroying',
    to: 'succeeded',
    actor,
    action,
    reason,
    now,
  });
  await tx('grants')
    .where({ request_id: id, purpose: 'destroy' })
    .whereNull('consumed_at')
    .update({ consumed_at: now, consumed_by_task: null });
  return rowToRequest((await getRequestRow(tx, id))!);
}
