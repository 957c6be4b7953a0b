import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  IllegalTransitionError,
  assertTransition,
  type RequestState,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import type { RequestRow } from './tables';

/** One entry of the append-only event log. @internal */
export interface EventInput {
  requestId: string;
  actor: string;
  from: RequestState | null;
  to: RequestState | null;
  action: string;
  reason?: string;
  now: Date;
}

/** @internal */
export async function appendEvent(tx: Knex.Transaction, event: EventInput) {
  await appendEvents(tx, [event]);
}

/** Several events in one statement, in order (`seq` follows the rows). @internal */
export async function appendEvents(tx: Knex.Transaction, events: EventInput[]) {
  await tx('events').insert(
    events.map(event => ({
      id: randomUUID(),
      request_id: event.requestId,
      actor: event.actor,
      from_state: event.from,
      to_state: event.to,
      action: event.action,
      reason: event.reason ?? null,
      created_at: event.now,
    })),
  );
}

/**
 * Keeps `request_approvers.open` true exactly for the rows of the stage a
 * pending request waits on; call after any change of its state or stage.
 * @internal
 */
export async function syncOpenApprovers(
  tx: Knex.Transaction,
  id: string,
  waitingOn: { state: RequestState; stage: number | null | undefined },
): Promise<void> {
  const open = waitingOn.state === 'pending_approval' ? waitingOn.stage : null;
  await tx('request_approvers')
    .where({ request_id: id, open: true })
    .modify(q => {
      if (open !== null && open !== undefined) q.whereNot('stage', open);
    })
    .update({ open: false });
  if (open !== null && open !== undefined) {
    await tx('request_approvers')
      .where({ request_id: id, stage: open })
      .update({ open: true });
  }
}

/** The state machine's word on a move, as a 409 when it is illegal. @internal */
export function vetTransition(from: RequestState, to: RequestState): void {
  try {
    assertTransition(from, to);
  } catch (error) {
    if (error instanceof IllegalTransitionError) {
      throw new ConflictError(error.message);
    }
    throw error;
  }
}

/** @internal */
export interface TransitionInput {
  id: string;
  from: RequestState;
  to: RequestState;
  actor: string;
  action: string;
  reason?: string;
  now: Date;
  /** Other columns to set in the same guarded update. */
  patch?: Partial<RequestRow>;
}

/**
 * Moves a request from `from` to `to` with a compare-and-set on the state
 * column, and records the event in the same transaction. Exactly one row must
 * change; otherwise somebody else changed the request first and the caller
 * gets a ConflictError naming the state it found. Returns the columns it
 * set, so a caller holding the row can tell the new state without reading
 * it back.
 * @internal
 */
export async function transitionRequest(
  tx: Knex.Transaction,
  input: TransitionInput,
): Promise<Partial<RequestRow>> {
  vetTransition(input.from, input.to);
  const set: Partial<RequestRow> = {
    ...input.patch,
    state: input.to,
    state_reason: input.reason ?? null,
    updated_at: input.now,
  };
  const count = await tx('requests')
    .where({ id: input.id, state: input.from })
    .update(set);
  if (count !== 1) {
    const current = await tx<RequestRow>('requests')
      .where({ id: input.id })
      .first('state');
    if (!current) {
      throw new NotFoundError(`Request ${input.id} not found`);
    }
    throw new ConflictError(
      `Request ${input.id} is ${current.state}, expected ${input.from}; cannot move it to ${input.to}`,
    );
  }
  if (input.from === 'pending_approval' || input.to === 'pending_approval') {
    await syncOpenApprovers(tx, input.id, {
      state: input.to,
      stage: input.patch?.current_stage,
    });
  }
  await appendEvent(tx, {
    requestId: input.id,
    actor: input.actor,
    from: input.from,
    to: input.to,
    action: input.action,
    reason: input.reason,
    now: input.now,
  });
  return set;
}

/** Reads a request and locks its row until the transaction ends (PostgreSQL). @internal */
export async function lockRequest(
  tx: Knex.Transaction,
  id: string,
): Promise<RequestRow | undefined> {
  // SQLite ignores FOR UPDATE; it serialises writers on its own.
  return tx<RequestRow>('requests').where({ id }).forUpdate().first();
}
