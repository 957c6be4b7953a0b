import {
  type DatabaseService,
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  Page,
  ProvisionedResource,
  RequestState,
  SelfServiceRequest,
  SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import type { UsageTotals } from '@internal/plugin-self-service-common';
import type { GrantPurpose, RequestRow } from './tables';
import {
  createRequestInTx,
  type CreateRequestInput,
  type CreateRequestResult,
} from './createRequest';
import { decideInTx, type DecideInput, type DecideResult } from './decide';
import {
  recordDestroyLaunchInTx,
  type RecordDestroyLaunchInput,
  abortDestroyInTx,
  type AbortDestroyInput,
  startDestroyInTx,
  type StartDestroyInput,
  type StartDestroyResult,
} from './destroy';
import {
  applyChangeToTargetInTx,
  applyExtensionInTx,
  createExtensionInTx,
  type ExtensionInput,
  listFollowUps,
  mintChangeTicketInTx,
  recordChangeLaunchInTx,
} from './followUps';
import { findGrantByToken, namesTeamApprover } from './grantCheck';
import { consumeGrant, type RedeemClaim } from './grants';
import { LifecycleStore } from './lifecycle';
import { sumUsage } from './ledger';
import {
  inFlightTasks,
  getDecisionsAndEvents,
  getRequestRow,
  getRequestsByIds,
  listInbox,
  listRequests,
  overduePendingIds,
  unredeemedExpiredIds,
  type InboxFilter,
  type ListRequestsFilter,
} from './queries';
import { listLiveResources } from './resources';
import { rowToRequest, withTask } from './rows';
import {
  appendEvent,
  lockRequest,
  transitionRequest,
  type TransitionInput,
} from './transitions';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-self-service-backend',
  'migrations',
);

/** Request detail without the caller-specific flags. @internal */
export type StoredRequestDetail = Omit<
  SelfServiceRequestDetail,
  'stages' | 'canDecide' | 'canCancel' | 'canDestroy'
>;

/**
 * Persistence for requests, decisions, grants, reservations and events.
 * Every state change is a compare-and-set inside a transaction that also
 * appends the event row.
 * @internal
 */
export class SelfServiceStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<SelfServiceStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SelfServiceStore(client);
  }

  /** The migrations folder, for tests that run them up and down. */
  static readonly migrationsDir = migrationsDir;

  private constructor(private readonly db: Knex) {
    this.lifecycle = new LifecycleStore(db);
  }

  /** The lifecycle sweeps' queries and claims, and record deletion. */
  readonly lifecycle: LifecycleStore;

  async createRequest(input: CreateRequestInput): Promise<CreateRequestResult> {
    try {
      return await this.db.transaction(tx => createRequestInTx(tx, input));
    } catch (error) {
      // Two retries of the same step raced; the loser reads the winner's row.
      if (isDatabaseConflictError(error)) {
        return this.db.transaction(tx => createRequestInTx(tx, input));
      }
      throw error;
    }
  }

  async decide(input: DecideInput): Promise<DecideResult> {
    try {
      return await this.db.transaction(tx => decideInTx(tx, input));
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `${input.decider.userEntityRef} has already decided this stage`,
        );
      }
      throw error;
    }
  }

  /** A compare-and-set state change with its event; see `transitionRequest`. */
  async transition(input: TransitionInput): Promise<SelfServiceRequest> {
    return this.db.transaction(async tx => {
      await transitionRequest(tx, input);
      return rowToRequest((await getRequestRow(tx, input.id))!);
    });
  }

  /**
   * Redeems the request's grant for the claiming task and moves an approved
   * request to applying. Locks the request row first, as every other writer
   * of a request and its grant does, so concurrent redemptions queue.
   */
  async redeemGrant(
    claim: RedeemClaim,
    options: { actor: string; now: Date },
  ): Promise<{
    grantId: string;
    request: SelfServiceRequest;
    /** The request as it was locked, before the redemption. */
    previous: { state: RequestState; currentStage: number | null };
  }> {
    const { now, actor } = options;
    return this.db.transaction(async tx => {
      const row = await lockRequest(tx, claim.requestId);
      if (!row) {
        throw new NotAllowedError(`Request ${claim.requestId} has no grant to redeem`);
      }
      const purpose = claim.purpose ?? 'apply';
      // A destroy grant is good only while the tear-down runs, and an apply
      // grant never then; throwing rolls the consumption back.
      if ((purpose === 'destroy') !== (row.state === 'destroying')) {
        throw new ConflictError(
          `Request ${row.id} is ${row.state}; its ${purpose} grant cannot be redeemed`,
        );
      }
      const grantId = await consumeGrant(tx, claim, now);
      const taskIds = withTask(row, claim.taskId);
      const reason = `${purpose} grant redeemed by task ${claim.taskId}`;
      let set: Partial<RequestRow>;
      if (row.state === 'approved') {
        set = await transitionRequest(tx, {
          id: row.id,
          from: 'approved',
          to: 'applying',
          actor,
          action: 'grant-redeemed',
          reason,
          now,
          patch: { task_ids: taskIds },
        });
      } else if (row.state === 'destroying' || row.state === 'applying') {
        // The backend launched this run and already moved the request on
        // (applying, or destroying for a tear-down): the state stays, the
        // event log records the redemption.
        set = { task_ids: taskIds, updated_at: now };
        await tx('requests').where({ id: row.id }).update(set);
        await appendEvent(tx, {
          requestId: row.id,
          actor,
          from: row.state,
          to: row.state,
          action: 'grant-redeemed',
          reason,
          now,
        });
      } else {
        // Throwing rolls the consumption back; the grant dies with the request.
        throw new ConflictError(
          `Request ${row.id} is ${row.state}; its grant can no longer be redeemed`,
        );
      }
      return {
        grantId,
        // The locked row with what changed: no need to read it back.
        request: rowToRequest({ ...row, ...set }),
        previous: { state: row.state as RequestState, currentStage: row.current_stage },
      };
    });
  }

  /**
   * Records the scaffolder task launched for an approved request: the request
   * moves to applying (unless the task already redeemed and did that) and the
   * grant becomes bound to that task.
   */
  async recordLaunch(options: {
    id: string;
    taskId: string;
    actor: string;
    now: Date;
  }): Promise<SelfServiceRequest> {
    const { id, taskId, actor, now } = options;
    return this.db.transaction(async tx => {
      const row = await lockRequest(tx, id);
      if (!row) throw new NotFoundError(`Request ${id} not found`);
      const taskIds = withTask(row, taskId);
      if (row.state === 'approved') {
        await transitionRequest(tx, {
          id,
          from: 'approved',
          to: 'applying',
          actor,
          action: 'launched',
          reason: `apply task ${taskId} launched`,
          now,
          patch: { task_ids: taskIds },
        });
      } else if (row.state === 'applying') {
        await tx('requests').where({ id }).update({ task_ids: taskIds, updated_at: now });
        await appendEvent(tx, {
          requestId: id,
          actor,
          from: 'applying',
          to: 'applying',
          action: 'launched',
          reason: `apply task ${taskId} launched`,
          now,
        });
      } else {
        throw new ConflictError(`Request ${id} is ${row.state}; nothing to launch`);
      }
      await tx('grants')
        .where({ request_id: id, purpose: 'apply' })
        .whereNull('task_id')
        .whereNull('consumed_at')
        .update({ task_id: taskId });
      return rowToRequest((await getRequestRow(tx, id))!);
    });
  }

  /**
   * Starts the tear-down of a succeeded request: moves it to destroying
   * (compare-and-set, with the event) and mints its destroy grant in the
   * same transaction, so exactly one caller gets a token to launch with.
   */
  async startDestroy(input: StartDestroyInput): Promise<StartDestroyResult> {
    return this.db.transaction(tx => startDestroyInTx(tx, input));
  }

  /**
   * A tear-down that could not start or failed: back to succeeded (the
   * resource is still there) and the destroy grant voided.
   */
  async abortDestroy(input: AbortDestroyInput): Promise<SelfServiceRequest> {
    return this.db.transaction(tx => abortDestroyInTx(tx, input));
  }

  /**
   * Records the scaffolder task launched to tear a request down and binds
   * the destroy grant to it, as `recordLaunch` does for the apply phase.
   */
  async recordDestroyLaunch(input: RecordDestroyLaunchInput): Promise<SelfServiceRequest> {
    return this.db.transaction(tx => recordDestroyLaunchInTx(tx, input));
  }

  /**
   * Adds a task and resource refs, then moves the request; for status
   * reports. Outputs, when given, replace the stored ones. The request
   * moves from the state its locked row is in, after `check` has vetted
   * that row (it throws to refuse); `previous` is that state.
   */
  async transitionWithTask(
    input: Omit<TransitionInput, 'from'> & {
      check?: (locked: { state: RequestState; taskIds: string[] }) => void;
      taskId: string;
      resourceRefs?: string[];
      outputs?: Record<string, string | number | boolean>;
    },
  ): Promise<{
    request: SelfServiceRequest;
    previous: { state: RequestState; currentStage: number | null };
    /** The resource an applied change changed, as it is now. */
    target?: SelfServiceRequest;
  }> {
    return this.db.transaction(async tx => {
      const row = await lockRequest(tx, input.id);
      if (!row) throw new NotFoundError(`Request ${input.id} not found`);
      const state = row.state as RequestState;
      input.check?.({ state, taskIds: JSON.parse(row.task_ids) });
      const refs = new Set<string>(JSON.parse(row.resource_refs));
      for (const ref of input.resourceRefs ?? []) refs.add(ref);
      const set = await transitionRequest(tx, {
        ...input,
        from: state,
        patch: {
          ...input.patch,
          task_ids: withTask(row, input.taskId),
          resource_refs: JSON.stringify([...refs]),
          ...(input.outputs ? { outputs: JSON.stringify(input.outputs) } : {}),
        },
      });
      const changed = { ...row, ...set } as RequestRow;
      // An applied change: its resource becomes what the change describes.
      const target =
        row.kind === 'change' && input.to === 'succeeded'
          ? await applyChangeToTargetInTx(tx, changed, {
              actor: input.actor,
              now: input.now,
              outputs: set.outputs,
              resourceRefs: set.resource_refs,
            })
          : undefined;
      return {
        // The locked row with what the update set: no need to read it back.
        request: rowToRequest(changed),
        previous: { state, currentStage: row.current_stage },
        ...(target ? { target: rowToRequest(target) } : {}),
      };
    });
  }

  /** Records an extension, applied at once when it needs no approval; see `createExtensionInTx`. */
  createExtension(input: ExtensionInput) {
    return this.db.transaction(tx => createExtensionInTx(tx, input));
  }

  /** Applies an extension its approvers just approved; see `applyExtensionInTx`. */
  applyExtension(input: { id: string; actor: string; now: Date }) {
    return this.db.transaction(tx => applyExtensionInTx(tx, input));
  }

  /** The ticket a day-2 change run is launched with; see `mintChangeTicketInTx`. */
  mintChangeTicket(input: Parameters<typeof mintChangeTicketInTx>[1]) {
    return this.db.transaction(tx => mintChangeTicketInTx(tx, input));
  }

  /** Binds the change ticket to the launched run; see `recordChangeLaunchInTx`. */
  recordChangeLaunch(input: Parameters<typeof recordChangeLaunchInTx>[1]) {
    return this.db.transaction(tx => recordChangeLaunchInTx(tx, input));
  }

  /** Voids an unused change ticket (its run could not be started). */
  async voidChangeTicket(targetId: string, now: Date): Promise<void> {
    await this.db('grants')
      .where({ request_id: targetId, purpose: 'change' })
      .whereNull('consumed_at')
      .update({ consumed_at: now, consumed_by_task: null });
  }

  /** Changes and extensions of a request, newest first. */
  listFollowUps(targetId: string): Promise<SelfServiceRequest[]> {
    return listFollowUps(this.db, targetId);
  }

  async getRequest(id: string): Promise<SelfServiceRequest | undefined> {
    const row = await getRequestRow(this.db, id);
    return row ? rowToRequest(row) : undefined;
  }

  async getRequestDetail(id: string): Promise<StoredRequestDetail | undefined> {
    const row = await getRequestRow(this.db, id);
    if (!row) return undefined;
    return { ...rowToRequest(row), ...(await getDecisionsAndEvents(this.db, id)) };
  }

  getRequestsByIds(ids: string[]) {
    return getRequestsByIds(this.db, ids);
  }

  listRequests(filter: ListRequestsFilter): Promise<Page<SelfServiceRequest>> {
    return listRequests(this.db, filter);
  }

  listInbox(filter: InboxFilter): Promise<Page<SelfServiceRequest>> {
    return listInbox(this.db, filter);
  }

  /** Requests whose resource exists (or just this one's), as the catalog provider reads them. */
  listLiveResources(requestId?: string): Promise<ProvisionedResource[]> {
    return listLiveResources(this.db, requestId);
  }

  getUsage(team: string): Promise<UsageTotals> {
    return sumUsage(this.db, team);
  }

  /** The request's grant with this token and the request's state; reads only. */
  findGrantByToken(requestId: string, token: string) {
    return findGrantByToken(this.db, requestId, token);
  }

  /** Whether a request of the team names one of the groups as an approver. */
  namesTeamApprover(team: string, groups: string[]): Promise<boolean> {
    return namesTeamApprover(this.db, team, groups);
  }

  /** Requests in applying ('apply') or destroying ('destroy'), with their task. */
  findInFlight(phase: GrantPurpose) {
    return inFlightTasks(this.db, phase);
  }

  /** Ids the expiry sweep should move to expired, with the state they are in. */
  async findExpirable(now: Date): Promise<Array<{ id: string; state: RequestState }>> {
    const pending = await overduePendingIds(this.db, now);
    const approved = await unredeemedExpiredIds(this.db, now);
    return [
      ...pending.map(id => ({ id, state: 'pending_approval' as const })),
      ...approved.map(id => ({ id, state: 'approved' as const })),
    ];
  }
}
