import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ApprovalPolicy,
  RequestState,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { approverGroupsOf } from './derived';
import { startDestroyInTx, type StartDestroyResult } from './destroy';
import { rowToRequest, toDate } from './rows';
import type { DbDate, RequestRow } from './tables';
import { appendEvent, lockRequest } from './transitions';

/** The notice kind that marks a request's one TTL tear-down. @internal */
export const TTL_DESTROY_NOTICE = 'ttl-destroy';

/** States whose record may be deleted: nothing was ever provisioned. @internal */
export const DELETABLE_STATES: readonly RequestState[] = [
  'pending_approval',
  'rejected',
];

/** A pending request with the time its current stage began waiting. @internal */
export interface WaitingStage {
  request: SelfServiceRequest;
  stage: number;
  since: Date;
}

/**
 * The lifecycle sweeps' queries and one-time claims (`request_notices`,
 * `team_notices`), and the deletion of request records. Every claim is one
 * insert into a primary key, so among backend instances sharing the
 * database exactly one wins it.
 * @internal
 */
export class LifecycleStore {
  constructor(private readonly db: Knex) {}

  /** Succeeded requests past their expiry that the TTL sweep has not torn down yet. */
  async findExpiredLive(now: Date): Promise<string[]> {
    const rows = await this.db<RequestRow>('requests')
      .where({ state: 'succeeded', kind: 'provision' })
      .whereNotNull('expires_at')
      .where('expires_at', '<=', now)
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('request_notices')
          .whereRaw('request_notices.request_id = requests.id')
          .where('request_notices.kind', TTL_DESTROY_NOTICE),
      )
      .orderBy('expires_at')
      .select('id');
    return rows.map(r => r.id);
  }

  /**
   * Claims the TTL tear-down of a succeeded request: succeeded ->
   * destroying with the destroy grant (as a manual destroy does) and the
   * `ttl-destroy` notice, in one transaction. Undefined when another
   * instance claimed it first or the request is no longer succeeded.
   */
  async claimTtlDestroy(input: {
    id: string;
    actor: string;
    reason: string;
    now: Date;
    grantTtlMs: number;
  }): Promise<(StartDestroyResult & { previous: SelfServiceRequest }) | undefined> {
    try {
      return await this.db.transaction(async tx => {
        const locked = await lockRequest(tx, input.id);
        if (!locked || locked.state !== 'succeeded') return undefined;
        const result = await startDestroyInTx(tx, input);
        await tx('request_notices').insert({
          request_id: input.id,
          kind: TTL_DESTROY_NOTICE,
          sent_at: input.now,
        });
        return { ...result, previous: rowToRequest(locked) };
      });
    } catch (error) {
      if (error instanceof ConflictError || isDatabaseConflictError(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /** Succeeded requests expiring after `now` and at most `withinMs` later. */
  async findExpiring(now: Date, withinMs: number): Promise<SelfServiceRequest[]> {
    const rows = await this.db<RequestRow>('requests')
      .where({ state: 'succeeded', kind: 'provision' })
      .where('expires_at', '>', now)
      .where('expires_at', '<=', new Date(now.getTime() + withinMs))
      .orderBy('expires_at');
    return rows.map(rowToRequest);
  }

  /** The notice kinds already recorded for these requests, by request id. */
  async noticesOf(ids: string[]): Promise<Map<string, Set<string>>> {
    const found = new Map<string, Set<string>>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('request_notices')
        .whereIn('request_id', ids.slice(i, i + 500))
        .select('request_id', 'kind');
      for (const row of rows) {
        const kinds = found.get(row.request_id) ?? new Set<string>();
        kinds.add(row.kind);
        found.set(row.request_id, kinds);
      }
    }
    return found;
  }

  /** Records that `kind` was done for the request; false when it already was. */
  async claimNotice(requestId: string, kind: string, now: Date): Promise<boolean> {
    try {
      await this.db('request_notices').insert({
        request_id: requestId,
        kind,
        sent_at: now,
      });
      return true;
    } catch (error) {
      if (isDatabaseConflictError(error)) return false;
      throw error;
    }
  }

  /** Teams with a request in one of `states`. */
  async activeTeams(states: readonly RequestState[]): Promise<string[]> {
    const rows = await this.db('requests')
      .whereIn('state', [...states])
      .distinct('team')
      .orderBy('team');
    return rows.map(r => r.team);
  }

  /** Records that `kind` was sent to the team for `period`; false when it already was. */
  async claimTeamNotice(
    team: string,
    kind: string,
    period: string,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db('team_notices').insert({ team, kind, period, sent_at: now });
      return true;
    } catch (error) {
      if (isDatabaseConflictError(error)) return false;
      throw error;
    }
  }

  /**
   * Pending requests with the stage they wait on and since when: the
   * request's creation for the first stage, else the last decision of the
   * stage before (the one that passed it).
   */
  async findWaitingStages(): Promise<WaitingStage[]> {
    const rows = await this.db<RequestRow>('requests')
      .where({ state: 'pending_approval' })
      .whereNotNull('current_stage');
    const later = rows.filter(r => Number(r.current_stage) > 0).map(r => r.id);
    const passed = new Map<string, Date>();
    for (let i = 0; i < later.length; i += 500) {
      const decisions: Array<{ request_id: string; at: DbDate }> = await this.db('decisions')
        .join('requests', 'requests.id', 'decisions.request_id')
        .whereIn('decisions.request_id', later.slice(i, i + 500))
        .whereRaw('decisions.stage = requests.current_stage - 1')
        .groupBy('decisions.request_id')
        .select('decisions.request_id')
        .max({ at: 'decisions.created_at' });
      for (const d of decisions) passed.set(d.request_id, toDate(d.at));
    }
    return rows.map(row => {
      const stage = Number(row.current_stage);
      return {
        request: rowToRequest(row),
        stage,
        since:
          stage > 0 && passed.has(row.id)
            ? passed.get(row.id)!
            : toDate(row.created_at),
      };
    });
  }

  /**
   * Adds `group` to the approvers of the stage the request waits on, once:
   * the policy's stage, the approver rows (open, so the group's inbox shows
   * it) and an event, with the `escalation:<stage>` notice. Undefined when
   * it was escalated already or the request moved on.
   */
  async escalateStage(input: {
    id: string;
    stage: number;
    group: string;
    actor: string;
    reason: string;
    now: Date;
  }): Promise<SelfServiceRequest | undefined> {
    const { id, stage, group, now } = input;
    try {
      return await this.db.transaction(async tx => {
        const row = await lockRequest(tx, id);
        if (
          !row ||
          row.state !== 'pending_approval' ||
          Number(row.current_stage) !== stage
        ) {
          return undefined;
        }
        await tx('request_notices').insert({
          request_id: id,
          kind: `escalation:${stage}`,
          sent_at: now,
        });
        const policy: ApprovalPolicy = JSON.parse(row.approval_policy);
        const groups = policy.stages[stage].groups;
        if (!groups.some(g => g.toLowerCase() === group.toLowerCase())) {
          groups.push(group);
        }
        await tx('requests')
          .where({ id })
          .update({
            approval_policy: JSON.stringify(policy),
            approver_groups: approverGroupsOf(policy),
            updated_at: now,
          });
        await tx('request_approvers')
          .insert({ request_id: id, stage, group_ref: group.toLowerCase(), open: true })
          .onConflict(['request_id', 'stage', 'group_ref'])
          .merge(['open']);
        await appendEvent(tx, {
          requestId: id,
          actor: input.actor,
          from: 'pending_approval',
          to: 'pending_approval',
          action: 'escalated',
          reason: input.reason,
          now,
        });
        return rowToRequest((await tx<RequestRow>('requests').where({ id }).first())!);
      });
    } catch (error) {
      if (isDatabaseConflictError(error)) return undefined;
      throw error;
    }
  }

  /**
   * Deletes the record of a pending or rejected request (its decisions,
   * grants, approver rows and notices go with it; a pending request's
   * reservation with its row), after appending a `deleted` event: the event
   * log is kept. A request in any other state is a ConflictError naming it.
   * `mayDelete` vets the locked row (it throws to refuse).
   */
  async deleteRequest(input: {
    id: string;
    actor: string;
    now: Date;
    mayDelete?: (request: SelfServiceRequest) => Promise<void> | void;
  }): Promise<SelfServiceRequest> {
    const { id, actor, now } = input;
    return this.db.transaction(async tx => {
      const row = await lockRequest(tx, id);
      if (!row) throw new NotFoundError(`Request ${id} not found`);
      const request = rowToRequest(row);
      if (!DELETABLE_STATES.includes(request.state)) {
        throw new ConflictError(
          `Request ${id} is ${request.state}; only pending_approval or rejected requests can be deleted`,
        );
      }
      await appendEvent(tx, {
        requestId: id,
        actor,
        from: request.state,
        to: null,
        action: 'deleted',
        reason: `record deleted by ${actor}`,
        now,
      });
      // Explicitly, not through ON DELETE CASCADE: SQLite enforces foreign
      // keys only when the connection turned them on.
      for (const table of ['request_approvers', 'decisions', 'grants', 'request_notices']) {
        await tx(table).where({ request_id: id }).delete();
      }
      await tx('requests').where({ id, state: request.state }).delete();
      return request;
    });
  }
}
