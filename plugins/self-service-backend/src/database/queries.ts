import type {
  Page,
  RequestDecision,
  RequestEvent,
  RequestState,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { applyRequestCriteria, type RequestCriteria } from './filters';
import { applyCursor, type Cursor, pageOf } from './pagination';
import { rowToDecision, rowToEvent, rowToRequest } from './rows';
import type { DecisionRow, EventRow, GrantPurpose, RequestRow } from './tables';

const isSqlite = (db: Knex) =>
  String(db.client.config.client).includes('sqlite');

/** Filters of `GET /requests`, already validated. @internal */
export interface ListRequestsFilter {
  requester?: string;
  states?: RequestState[];
  templateRef?: string;
  team?: string;
  /** Conditions from the permission policy; undefined means unrestricted. */
  criteria?: RequestCriteria;
  limit: number;
  cursor?: Cursor;
}

/** @internal */
export async function listRequests(
  db: Knex,
  filter: ListRequestsFilter,
): Promise<Page<SelfServiceRequest>> {
  const query = db<RequestRow>('requests').select('requests.*');
  if (filter.requester) query.where('requests.requester', filter.requester);
  if (filter.states?.length && filter.criteria && isSqlite(db)) {
    // SQLite keeps no statistics: given a state it walks every request in
    // that state and tests the caller's conditions on each (a third of the
    // table for pending_approval). Off the state index (the unary plus), it
    // answers the conditions (requester, team, approver rows) from their own
    // indexes, so the cost follows what the caller may read.
    const marks = filter.states.map(() => '?').join(', ');
    query.whereRaw(`+?? in (${marks})`, ['requests.state', ...filter.states]);
  } else if (filter.states?.length) {
    query.whereIn('requests.state', filter.states);
  }
  if (filter.templateRef)
    query.where('requests.template_ref', filter.templateRef);
  if (filter.team) query.where('requests.team', filter.team);
  if (filter.criteria) applyRequestCriteria(query, filter.criteria);
  applyCursor(query, filter.cursor);
  const { rows, nextCursor } = await pageOf<RequestRow>(query, filter.limit);
  return {
    items: rows.map(rowToRequest),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** @internal */
export interface InboxFilter {
  userEntityRef: string;
  ownershipEntityRefs: string[];
  criteria?: RequestCriteria;
  now: Date;
  limit: number;
  cursor?: Cursor;
}

/**
 * Requests the caller may decide right now: pending, before the deadline,
 * with one of the caller's groups in the current stage, not their own (unless
 * self-approval is allowed) and not already decided by them at this stage.
 * The same rules as `checkDecider`, as one indexed query.
 * @internal
 */
export async function listInbox(
  db: Knex,
  filter: InboxFilter,
): Promise<Page<SelfServiceRequest>> {
  // Approver rows are lower case; entity refs compare case-insensitively.
  const claims = [
    ...new Set(
      [filter.userEntityRef, ...filter.ownershipEntityRefs].map(ref =>
        ref.toLowerCase(),
      ),
    ),
  ];
  // SQLite keeps no statistics, so it would walk every pending request
  // through the state index and probe the approver rows for each; the unary
  // plus keeps it off that index, so the caller's open approver rows drive
  // the lookups, as PostgreSQL's planner chooses on its own.
  const pendingState = isSqlite(db)
    ? db.raw("+?? = 'pending_approval'", ['requests.state'])
    : db.raw("?? = 'pending_approval'", ['requests.state']);
  const query = db<RequestRow>('requests')
    .select('requests.*')
    .where(pendingState)
    .where(q =>
      q
        .whereNull('requests.decision_deadline')
        .orWhere('requests.decision_deadline', '>', filter.now),
    )
    .where(q =>
      q
        .whereNot('requests.requester', filter.userEntityRef)
        .orWhere('requests.self_approval_allowed', true),
    )
    // Open rows are those of the stage each pending request waits on; the
    // index on (group_ref, open, request_id) finds the caller's directly.
    .whereIn('requests.id', sub =>
      sub
        .select('request_approvers.request_id')
        .from('request_approvers')
        .whereIn('request_approvers.group_ref', claims)
        .where('request_approvers.open', true),
    )
    .whereNotExists(sub =>
      sub
        .select(db.raw('1'))
        .from('decisions')
        .whereRaw('decisions.request_id = requests.id')
        .whereRaw('decisions.stage = requests.current_stage')
        .where('decisions.approver', filter.userEntityRef),
    );
  if (filter.criteria) applyRequestCriteria(query, filter.criteria);
  applyCursor(query, filter.cursor);
  const { rows, nextCursor } = await pageOf<RequestRow>(query, filter.limit);
  return {
    items: rows.map(rowToRequest),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** @internal */
export async function getRequestRow(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<RequestRow | undefined> {
  return db<RequestRow>('requests').where({ id }).first();
}

/** @internal */
export async function getDecisionsAndEvents(
  db: Knex,
  id: string,
): Promise<{ decisions: RequestDecision[]; events: RequestEvent[] }> {
  const decisions = await db<DecisionRow>('decisions')
    .where({ request_id: id })
    .orderBy([{ column: 'stage' }, { column: 'created_at' }, { column: 'id' }]);
  const events = await db<EventRow>('events')
    .where({ request_id: id })
    .orderBy('seq');
  return {
    decisions: decisions.map(rowToDecision),
    events: events.map(rowToEvent),
  };
}

/** @internal */
export async function getRequestsByIds(
  db: Knex,
  ids: string[],
): Promise<Array<SelfServiceRequest | undefined>> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db<RequestRow>('requests').whereIn('id', ids);
  const byId = new Map(rows.map(row => [row.id, rowToRequest(row)]));
  return ids.map(id => byId.get(id));
}

/** Pending requests past their deadline. @internal */
export async function overduePendingIds(
  db: Knex,
  now: Date,
): Promise<string[]> {
  const rows = await db('requests')
    .where({ state: 'pending_approval' })
    .where('decision_deadline', '<=', now)
    .select('id');
  return rows.map(r => r.id);
}

/** Approved requests whose grant expired before anyone redeemed it. @internal */
export async function unredeemedExpiredIds(
  db: Knex,
  now: Date,
): Promise<string[]> {
  const rows = await db('requests')
    .join('grants', 'grants.request_id', 'requests.id')
    .where('grants.purpose', 'apply')
    .where('requests.state', 'approved')
    .whereNull('grants.consumed_at')
    .where('grants.expires_at', '<=', now)
    .select('requests.id');
  return rows.map(r => r.id);
}

/**
 * Requests being applied (or torn down), with the task that should finish
 * the job: the one that redeemed the phase's grant, else the task launched
 * for it that has not redeemed yet.
 * @internal
 */
export async function inFlightTasks(
  db: Knex,
  phase: GrantPurpose,
): Promise<Array<{ id: string; taskId: string; redeemed: boolean }>> {
  const rows = await db('requests')
    .leftJoin('grants', q =>
      q
        .on('grants.request_id', 'requests.id')
        .andOnVal('grants.purpose', phase),
    )
    .where('requests.state', phase === 'apply' ? 'applying' : 'destroying')
    .select(
      'requests.id',
      'requests.task_ids',
      'grants.task_id',
      'grants.consumed_by_task',
    );
  const found: Array<{ id: string; taskId: string; redeemed: boolean }> = [];
  for (const row of rows) {
    const taskIds: string[] = JSON.parse(row.task_ids);
    // An apply task joins task_ids when it redeems or is launched; a destroy
    // task is known only through its grant, since task_ids still ends with
    // the apply task until the tear-down is launched.
    const taskId =
      row.consumed_by_task ??
      (phase === 'apply' ? taskIds[taskIds.length - 1] : row.task_id);
    if (taskId) {
      found.push({
        id: row.id,
        taskId,
        redeemed: Boolean(row.consumed_by_task),
      });
    }
  }
  return found;
}
