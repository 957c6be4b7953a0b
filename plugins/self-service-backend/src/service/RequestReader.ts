import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  type ListRequestsQuery,
  type Page,
  type ProvisionedResource,
  type SelfServiceRequest,
  type SelfServiceRequestDetail,
  type TeamUsage,
  checkDecider,
  RESERVING_STATES,
  stageProgress,
  selfServiceRequestCancelPermission,
  selfServiceRequestDecidePermission,
  selfServiceRequestReadPermission,
} from '@internal/plugin-self-service-common';
import { decodeCursor } from '../database/pagination';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import { mayManageResource } from './destroyAccess';
import type { ExtensionPolicies } from './followUps/extensionPolicy';
import type { Caller, Reader } from './caller';
import { type TeamLimitsSource, toTeamUsage } from './limits';
import {
  type AccessScope,
  accessScope,
  type RequestRuleset,
  scopeAllows,
} from './permissions';

const EMPTY_PAGE: Page<SelfServiceRequest> = { items: [] };

/**
 * The read side of the API, filtered by the permission policy: a conditional
 * decision becomes a WHERE clause for lists and a predicate for one request.
 * @internal
 */
export class RequestReader {
  constructor(
    private readonly options: {
      store: SelfServiceStore;
      limits: TeamLimitsSource;
      permissions: PermissionsService;
      ruleset: RequestRuleset;
      /** How far resources of each environment may be extended. */
      extensions?: ExtensionPolicies;
      now?: () => Date;
    },
  ) {}

  async detail(id: string, caller: Reader): Promise<SelfServiceRequestDetail> {
    const { store } = this.options;
    const stored = await store.getRequestDetail(id);
    if (!stored) {
      throw new NotFoundError(`Request ${id} not found`);
    }
    const read = await this.#scope(selfServiceRequestReadPermission, caller);
    if (!scopeAllows(read, stored)) {
      throw new NotAllowedError(`You may not read request ${id}`);
    }
    const [decide, cancel] = await Promise.all([
      this.#scope(selfServiceRequestDecidePermission, caller),
      this.#scope(selfServiceRequestCancelPermission, caller),
    ]);
    const refusal = checkDecider({
      request: stored,
      decisions: stored.decisions,
      decider: caller,
      now: this.#now(),
    });
    // Tear-down, extension and change concern a live resource, which only a
    // provisioning request is; the same people may do all three.
    const resource = (stored.kind ?? 'provision') === 'provision';
    const live = resource && stored.state === 'succeeded';
    const manages =
      live &&
      caller.credentials.principal.type === 'user' &&
      (await mayManageResource(this.options.permissions, stored, caller as Caller));
    const followUps = resource ? await store.listFollowUps(id) : [];
    // Open as the store counts it: a follow-up still reserving.
    const open = (kind: string) =>
      followUps.some(f => f.kind === kind && RESERVING_STATES.includes(f.state));
    const extensionPolicy = stored.expiresAt
      ? this.options.extensions?.[stored.environment]
      : undefined;
    return {
      ...stored,
      stages: stageProgress(stored, stored.decisions),
      canDecide: !refusal && scopeAllows(decide, stored),
      canCancel:
        stored.state === 'pending_approval' &&
        stored.requester === caller.userEntityRef &&
        scopeAllows(cancel, stored),
      canDelete:
        (stored.state === 'pending_approval' || stored.state === 'rejected') &&
        stored.requester === caller.userEntityRef,
      canDestroy: manages && !open('change'),
      canExtend: manages && !!extensionPolicy && !open('extension'),
      canChange: manages && !open('change'),
      ...(extensionPolicy ? { extensionPolicy } : {}),
      followUps: followUps.map(f => ({
        id: f.id,
        kind: f.kind,
        state: f.state,
        requester: f.requester,
        createdAt: f.createdAt,
        ...(f.extension ? { extension: f.extension } : {}),
      })),
    };
  }

  async list(
    query: ListRequestsQuery,
    caller: Caller,
  ): Promise<Page<SelfServiceRequest>> {
    const scope = await this.#scope(selfServiceRequestReadPermission, caller);
    if (scope.kind === 'none') {
      return EMPTY_PAGE;
    }
    const states = query.state === undefined ? undefined : [query.state].flat();
    return this.options.store.listRequests({
      requester: query.mine === 'true' ? caller.userEntityRef : undefined,
      states,
      templateRef: query.template,
      team: query.team?.toLowerCase(),
      criteria: scope.kind === 'some' ? scope.criteria : undefined,
      limit: query.limit,
      cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
  }

  async inbox(
    query: { limit: number; cursor?: string },
    caller: Caller,
  ): Promise<Page<SelfServiceRequest>> {
    const scope = await this.#scope(selfServiceRequestDecidePermission, caller);
    if (scope.kind === 'none') {
      return EMPTY_PAGE;
    }
    return this.options.store.listInbox({
      userEntityRef: caller.userEntityRef,
      ownershipEntityRefs: caller.ownershipEntityRefs,
      criteria: scope.kind === 'some' ? scope.criteria : undefined,
      now: this.#now(),
      limit: query.limit,
      cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
  }

  /** Every live resource, or one request's; the route admits only the catalog. */
  resources(requestId?: string): Promise<ProvisionedResource[]> {
    return this.options.store.listLiveResources(requestId);
  }

  async usage(team: string): Promise<TeamUsage> {
    // The group read (a catalog call) and the sums do not depend on each other.
    const [limits, totals] = await Promise.all([
      this.options.limits.getLimits(team),
      this.options.store.getUsage(team),
    ]);
    return toTeamUsage(limits, totals);
  }

  #now() {
    return this.options.now?.() ?? new Date();
  }

  #scope(
    permission: typeof selfServiceRequestReadPermission,
    caller: Reader,
  ): Promise<AccessScope> {
    return accessScope({
      permissions: this.options.permissions,
      ruleset: this.options.ruleset,
      permission,
      credentials: caller.credentials,
    });
  }
}
