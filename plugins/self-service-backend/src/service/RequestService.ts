import type {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type CreateRequestBody,
  type CreateRequestResponse,
  type ChangeLaunchResponse,
  type ChangeRequestBody,
  type DecisionBody,
  type DestroyRequestBody,
  type ExtendRequestBody,
  type ExtendResponse,
  type RedeemGrantBody,
  type ReportStatusBody,
  type RequestState,
  type SelfServiceRequest,
  selfServiceAdminPermission,
  selfServiceRequestCancelPermission,
  selfServiceRequestCreatePermission,
  selfServiceRequestDecidePermission,
} from '@internal/plugin-self-service-common';
import {
  hashParameters,
  planHashMatches,
} from '@internal/plugin-self-service-node';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import {
  launchApplyPhase,
  launchDestroyPhase,
  PLUGIN_ACTOR,
} from './launchPhase';
import { authoritativeBody } from './authority';
import { mayManageResource } from './destroyAccess';
import { deleteRequestRecord } from './lifecycle/deleteRequest';
import { startChange } from './followUps/changeRequest';
import { extendRequest } from './followUps/extendRequest';
import type { CostEstimator } from './estimator';
import type { SelfServiceSettings } from './config';
import type { Caller } from './caller';
import type { Launcher } from './launcher';
import type { TeamLimitsSource } from './limits';
import type { RequestNotifier } from './notifier';
import { accessScope, type RequestRuleset, scopeAllows } from './permissions';
import type { TemplateSource } from './templates';

/**
 * The grant binds the hashes, people see the values: they must agree, or an
 * approver could approve one plan while the grant admits another.
 */
function assertHashesMatch(body: CreateRequestBody) {
  if (hashParameters(body.parameters) !== body.parametersHash) {
    throw new InputError(
      'Invalid body: parametersHash: does not match parameters',
    );
  }
  if (
    body.planSummary &&
    body.planHash &&
    !planHashMatches(body.planSummary, body.planHash)
  ) {
    throw new InputError('Invalid body: planHash: does not match planSummary');
  }
}

/** Which state a status report may come from, per target state. */
const STATUS_FROM: Record<ReportStatusBody['state'], RequestState[]> = {
  succeeded: ['applying'],
  failed: ['applying', 'approved', 'destroying'],
  destroying: ['succeeded'],
  destroyed: ['destroying'],
};

/** @internal */
export interface RequestServiceOptions {
  store: SelfServiceStore;
  limits: TeamLimitsSource;
  permissions: PermissionsService;
  ruleset: RequestRuleset;
  notifier: RequestNotifier;
  settings: SelfServiceSettings;
  logger: LoggerService;
  launcher?: Launcher;
  /** The catalog's copy of templates, which the backend decides from. */
  templates: TemplateSource;
  /** The price book, for the parameter estimate a plan's cost is held to. */
  estimator: CostEstimator;
  now?: () => Date;
}

/**
 * Every change to a request: creation, decisions, cancellation, grant
 * redemption, status reports and expiry. Checks who may act, lets the store
 * make the change atomically, then tells people.
 * @internal
 */
export class RequestService {
  readonly #o: RequestServiceOptions;
  readonly #now: () => Date;

  constructor(options: RequestServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  async create(
    input: CreateRequestBody,
    caller: Caller,
  ): Promise<CreateRequestResponse & { created: boolean }> {
    const { store, limits, permissions, notifier, settings } = this.#o;
    // Entity refs compare case-insensitively; store one spelling so sums match.
    const body = { ...input, team: input.team.toLowerCase() };
    assertHashesMatch(body);
    if (
      !caller.ownershipEntityRefs.some(ref => ref.toLowerCase() === body.team)
    ) {
      throw new NotAllowedError(
        `team: ${caller.userEntityRef} is not a member of ${body.team}`,
      );
    }
    // The team's limits are read while the policy decides and the backend
    // derives what the request needs (all calls to other plugins); a refusal
    // still wins over a failed read. The no-op catches only mark the
    // promises handled; awaiting them still throws.
    const now = this.#now();
    const teamLimits = limits.getLimits(body.team);
    teamLimits.catch(() => {});
    const decided = authoritativeBody(
      body,
      {
        templates: this.#o.templates,
        estimator: this.#o.estimator,
        guardrails: settings.guardrails,
      },
      now,
    );
    decided.catch(() => {});
    const [decision] = await permissions.authorize(
      [{ permission: selfServiceRequestCreatePermission }],
      { credentials: caller.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'The permission policy does not allow creating requests',
      );
    }
    const { body: derived, raised } = await decided;
    // A change keeps its resource's expiry: a TTL counted from today would
    // mislead the approvers (extending is its own request).
    const record = body.changeOf
      ? { ...derived, findings: derived.findings.filter(f => f.code !== 'environment.ttl') }
      : derived;
    if (raised.stages.length > 0 || raised.findings.length > 0) {
      this.#o.logger.info(
        `Request of task ${body.taskId} (${body.templateRef}): the backend added ${[
          ...raised.stages.map(s => `stage ${s}`),
          ...raised.findings,
        ].join(', ')} that the step did not send`,
      );
    }
    const result = await store.createRequest({
      body: record,
      requester: caller.userEntityRef,
      limits: await teamLimits,
      now,
      decisionTimeoutMs: settings.approvalTimeoutMs,
      grantTtlMs: settings.grantTtlMs,
    });
    if (result.created) {
      notifier.changed(result.request);
    }
    return {
      request: result.request,
      created: result.created,
      ...(result.grant
        ? {
            grant: {
              token: result.grant.token,
              expiresAt: result.grant.expiresAt.toISOString(),
              ...(result.grant.planFileDigest
                ? { planFileDigest: result.grant.planFileDigest }
                : {}),
            },
          }
        : {}),
    };
  }

  async decide(
    id: string,
    body: DecisionBody,
    caller: Caller,
  ): Promise<SelfServiceRequest> {
    const { store, notifier } = this.#o;
    const before = await this.#load(id);
    // The policy can only narrow who decides; the engine still applies.
    const scope = await this.#scope(selfServiceRequestDecidePermission, caller);
    if (!scopeAllows(scope, before)) {
      throw new NotAllowedError(
        'The permission policy does not allow you to decide this request',
      );
    }
    const now = this.#now();
    const result = await store.decide({
      id,
      decider: caller,
      decision: body.decision,
      comment: body.comment,
      now,
      grantTtlMs: this.#o.settings.grantTtlMs,
    });
    notifier.changed(result.request, before);
    // An approved extension has nothing to run: the backend moves the expiry.
    if (result.grant && result.request.kind === 'extension') {
      const applied = await store.applyExtension({
        id,
        actor: caller.userEntityRef,
        now: this.#now(),
      });
      notifier.changed(applied.extension, result.request);
      if (applied.extension.state === 'succeeded') {
        notifier.resourceUpdated(applied.target);
      }
      return applied.extension;
    }
    // Only the transaction that approved the request holds a grant token, so
    // exactly one caller launches the apply phase.
    if (result.grant) {
      return launchApplyPhase(
        { ...this.#o, now: this.#now },
        result.request,
        result.grant.token,
      );
    }
    return result.request;
  }

  async cancel(id: string, caller: Caller): Promise<SelfServiceRequest> {
    const { store, notifier, permissions } = this.#o;
    const before = await this.#load(id);
    if (before.requester !== caller.userEntityRef) {
      const [admin] = await permissions.authorize(
        [{ permission: selfServiceAdminPermission }],
        { credentials: caller.credentials },
      );
      if (admin.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('Only the requester can withdraw a request');
      }
    }
    const scope = await this.#scope(selfServiceRequestCancelPermission, caller);
    if (!scopeAllows(scope, before)) {
      throw new NotAllowedError(
        'The permission policy does not allow you to cancel this request',
      );
    }
    if (before.state !== 'pending_approval') {
      throw new ConflictError(
        `Request ${id} is ${before.state}; only pending requests can be withdrawn`,
      );
    }
    const canceled = await store.transition({
      id,
      from: 'pending_approval',
      to: 'canceled',
      actor: caller.userEntityRef,
      action: 'canceled',
      reason: `withdrawn by ${caller.userEntityRef}`,
      now: this.#now(),
      patch: { current_stage: null },
    });
    notifier.changed(canceled, before);
    return canceled;
  }

  /**
   * Starts the tear-down of a succeeded request: the requester, a member of
   * its team or an admin may. The request moves to destroying with a fresh
   * destroy grant, and the same template is launched to destroy it.
   */
  async destroy(
    id: string,
    body: DestroyRequestBody,
    caller: Caller,
  ): Promise<SelfServiceRequest> {
    const { store, notifier } = this.#o;
    const before = await this.#load(id);
    if (!(await mayManageResource(this.#o.permissions, before, caller))) {
      throw new NotAllowedError(
        'Only the requester, a member of the owning team or an admin can destroy this request',
      );
    }
    if (before.state !== 'succeeded') {
      throw new ConflictError(
        `Request ${id} is ${before.state}; only succeeded requests can be destroyed`,
      );
    }
    const { request, grant } = await store.startDestroy({
      id,
      actor: caller.userEntityRef,
      reason: body.reason,
      now: this.#now(),
      grantTtlMs: this.#o.settings.grantTtlMs,
    });
    notifier.changed(request, before);
    return launchDestroyPhase(
      { ...this.#o, now: this.#now },
      request,
      grant.token,
    );
  }

  /** Asks for more time before a resource expires; see `extendRequest`. */
  extend(id: string, body: ExtendRequestBody, caller: Caller): Promise<ExtendResponse> {
    return extendRequest({ ...this.#o, now: this.#now }, id, body, caller);
  }

  /** Starts a day-2 change run of a resource; see `startChange`. */
  startChange(
    id: string,
    body: ChangeRequestBody,
    caller: Caller,
  ): Promise<ChangeLaunchResponse> {
    return startChange({ ...this.#o, now: this.#now }, id, body, caller);
  }

  /** Deletes a pending or rejected request's record; see `deleteRequestRecord`. */
  async deleteRecord(id: string, caller: Caller): Promise<SelfServiceRequest> {
    const deleted = await deleteRequestRecord(
      { ...this.#o, now: this.#now },
      id,
      caller,
    );
    this.#o.logger.info(
      `Request ${id} (${deleted.state}) deleted by ${caller.userEntityRef}`,
    );
    return deleted;
  }

  async redeem(body: RedeemGrantBody & { token: string }, actor: string) {
    // The store reports the state it locked, so no read of its own here.
    const result = await this.#o.store.redeemGrant(body, {
      actor,
      now: this.#now(),
    });
    this.#o.notifier.changed(result.request, result.previous, {
      reportedByRun: true,
    });
    return result;
  }

  async reportStatus(id: string, body: ReportStatusBody, actor: string) {
    const check = (before: { state: RequestState; taskIds: string[] }) => {
      if (!STATUS_FROM[body.state].includes(before.state)) {
        throw new ConflictError(
          `Request ${id} is ${before.state}; it cannot become ${body.state}`,
        );
      }
      // Outcomes of an apply or destroy must come from a task of this
      // request; a destroy run is a new task and joins the request here.
      if (
        body.state !== 'destroying' &&
        !before.taskIds.includes(body.taskId)
      ) {
        throw new NotAllowedError(
          `taskId: task ${body.taskId} does not belong to request ${id}`,
        );
      }
    };
    if (body.state === 'failed') {
      const before = await this.#load(id);
      check(before);
      if (before.state === 'destroying') {
        // A failed tear-down leaves the resource (or part of it) in place.
        const restored = await this.#o.store.abortDestroy({
          id,
          actor,
          action: 'reported-failed',
          reason: `tear-down failed: ${body.reason ?? `task ${body.taskId} failed`}`,
          now: this.#now(),
        });
        this.#o.notifier.changed(restored, before, { reportedByRun: true });
        return restored;
      }
    }
    // Checked against the row the store locks: no read of its own first.
    const { request, previous, target } = await this.#o.store.transitionWithTask({
      id,
      check,
      to: body.state,
      actor,
      action: `reported-${body.state}`,
      reason: body.reason,
      now: this.#now(),
      taskId: body.taskId,
      resourceRefs: body.resourceRefs,
      outputs: body.state === 'succeeded' ? body.outputs : undefined,
    });
    this.#o.notifier.changed(request, previous, { reportedByRun: true });
    // An applied change changed its resource: the catalog reads it again.
    if (target) this.#o.notifier.resourceUpdated(target);
    return request;
  }

  /** Expires undecided requests and approvals whose grant lapsed; returns how many. */
  async expireDue(): Promise<number> {
    const { store, notifier, logger } = this.#o;
    let expired = 0;
    for (const { id, state } of await store.findExpirable(this.#now())) {
      try {
        const request = await store.transition({
          id,
          from: state,
          to: 'expired',
          actor: PLUGIN_ACTOR,
          action: 'expired',
          reason:
            state === 'pending_approval'
              ? 'nobody decided before the deadline'
              : 'the approval grant expired before the apply phase ran',
          now: this.#now(),
          patch: { current_stage: null },
        });
        expired += 1;
        notifier.changed(request, { state, currentStage: null });
      } catch (error) {
        // Decided or redeemed meanwhile: the compare-and-set lost, which is fine.
        if (!(error instanceof ConflictError)) throw error;
        logger.debug(`Request ${id} changed before it could expire`);
      }
    }
    return expired;
  }

  async #load(id: string): Promise<SelfServiceRequest> {
    const request = await this.#o.store.getRequest(id);
    if (!request) {
      throw new NotFoundError(`Request ${id} not found`);
    }
    return request;
  }

  #scope(
    permission: typeof selfServiceRequestDecidePermission,
    caller: Caller,
  ) {
    return accessScope({
      permissions: this.#o.permissions,
      ruleset: this.#o.ruleset,
      permission,
      credentials: caller.credentials,
    });
  }
}
