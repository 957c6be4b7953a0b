import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  SELF_SERVICE_SIGNAL_CHANNEL,
  type RequestState,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import { formatMoney } from './limits';
import { announceResourceChange } from './resourceEvents';

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * How long deliveries of a change that a run reported about itself wait by
 * default. The report comes from the run's last step, and the run still has
 * to finish (the scaffolder's own writes and events) on the same event loop:
 * delivering first would make the requester wait for our notification, the
 * catalog refresh and the signal before the run shows as done.
 */
export const DEFAULT_RUN_SETTLE_MS = 250;

/** The name part of an entity ref: `template:default/postgres` -> `postgres`. */
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/**
 * A request in words, as the request page names it: `postgres-database ·
 * orders-db (production)`; the name is the `name` parameter, else the
 * resource name the backend derived.
 * @internal
 */
export function requestLabel(request: SelfServiceRequest): string {
  const name =
    typeof request.parameters?.name === 'string' && request.parameters.name
      ? request.parameters.name
      : (request.resourceName ?? request.id.slice(0, 8));
  const label = `${refName(request.templateRef)} · ${name} (${request.environment})`;
  if (request.kind === 'change') return `change of ${label}`;
  if (request.kind === 'extension') {
    return `extension of ${refName(request.templateRef)} · ${request.resourceName ?? name} (${request.environment}) by ${request.extension?.days ?? '?'} day(s)`;
  }
  return label;
}

/** Where the frontend shows a request. @internal */
export const requestLink = (id: string) => `/self-service/requests/${id}`;

/**
 * What the requester is told, by state. Not `applying`: it is a passing
 * state the request page shows live, and "provisioned" or "failed" follows
 * within the run; a notification for it would only be noise in the inbox.
 */
const REQUESTER_TITLES: Partial<Record<RequestState, string>> = {
  approved: 'was approved',
  rejected: 'was rejected',
  expired: 'expired',
  denied: 'was denied by a guardrail',
  succeeded: 'is provisioned',
  failed: 'failed',
  destroyed: 'was destroyed',
};

/**
 * Tells people about request changes: approvers when a request waits for
 * their stage, the requester when a person decided it, when it is
 * provisioned, failed, expired or destroyed,
 * every open page through a signal, and the catalog through an event when a
 * resource appears or goes. Delivery is best effort: the change
 * is already committed, so a failure here is logged, never thrown. It runs
 * after the API call that made the change has answered (a notification
 * round trip would otherwise hold up every state change, and the scaffolder
 * task waiting on it), in order per request; `settled()` waits for it.
 * @internal
 */
export class RequestNotifier {
  readonly #notifications?: NotificationService;
  readonly #signals?: SignalsService;
  readonly #events?: EventsService;
  readonly #logger: LoggerService;
  /**
   * The last queued delivery per request id (later ones chain onto it), and
   * how to start its chain at once while it still waits for a run to settle.
   */
  readonly #queued = new Map<
    string,
    { done: Promise<void>; flush?: () => void }
  >();
  readonly #runSettleMs: number;

  constructor(options: {
    notifications?: NotificationService;
    signals?: SignalsService;
    events?: EventsService;
    logger: LoggerService;
    /** How long deliveries of a run's own change wait (DEFAULT_RUN_SETTLE_MS). */
    runSettleMs?: number;
  }) {
    this.#runSettleMs = options.runSettleMs ?? DEFAULT_RUN_SETTLE_MS;
    this.#notifications = options.notifications;
    this.#signals = options.signals;
    this.#events = options.events;
    this.#logger = options.logger;
  }

  /**
   * Call after a committed change; `previous` is what the caller saw before.
   * Queues the delivery and returns at once. `reportedByRun`: a scaffolder
   * run changed its own request (redeemed its grant, reported its outcome),
   * so the delivery lets the run get on first.
   */
  changed(
    request: SelfServiceRequest,
    previous?: { state: RequestState; currentStage: number | null },
    options?: { reportedByRun?: boolean },
  ): void {
    const queued = this.#queued.get(request.id);
    const byRun = options?.reportedByRun && this.#runSettleMs > 0;
    // Anything else (a person's decision, a sweep) goes out promptly, and
    // takes the request's earlier deliveries with it, in order.
    if (!byRun) queued?.flush?.();
    // Starts on the event loop's next turn, once the caller's response is
    // on its way (a run's change: once the run has had time to get on),
    // unless an earlier change of the request is still being delivered;
    // then it goes after that one.
    let flush = queued?.flush;
    let start = queued?.done;
    if (!start) {
      if (byRun) {
        start = new Promise<void>(resolve => {
          const timer = setTimeout(resolve, this.#runSettleMs);
          flush = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } else {
        start = nextTurn();
      }
    }
    const done = start
      .then(() => this.#deliver(request, previous))
      .catch(error =>
        this.#logger.warn(
          `Failed to deliver the change of request ${request.id}: ${error}`,
        ),
      );
    const entry = { done, flush };
    this.#queued.set(request.id, entry);
    done.then(() => {
      if (this.#queued.get(request.id) === entry)
        this.#queued.delete(request.id);
    });
  }

  /**
   * A live resource changed without changing state (a change was applied to
   * it, its expiry moved): pages refresh and the catalog reads it again.
   * Nobody is notified; the follow-up request that did it notified them.
   */
  resourceUpdated(request: SelfServiceRequest): void {
    const done = nextTurn().then(() =>
      Promise.all([
        this.#signal(request),
        announceResourceChange(
          { events: this.#events, logger: this.#logger },
          request,
          undefined,
          { updated: true },
        ),
      ]),
    );
    done.catch(error =>
      this.#logger.warn(`Failed to announce the update of request ${request.id}: ${error}`),
    );
    const key = `updated:${request.id}`;
    this.#queued.set(key, { done: done.then(() => {}), flush: undefined });
    done.finally(() => this.#queued.delete(key));
  }

  /** Delivers everything queued now and resolves once it is done (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#queued.size > 0) {
      const entries = [...this.#queued.values()];
      for (const entry of entries) entry.flush?.();
      await Promise.all(entries.map(entry => entry.done));
    }
  }

  async #deliver(
    request: SelfServiceRequest,
    previous?: { state: RequestState; currentStage: number | null },
  ): Promise<void> {
    // Each part logs its own failure; nothing here may reject the chain.
    await Promise.all([
      this.#signal(request),
      this.#notify(request, previous),
      announceResourceChange(
        { events: this.#events, logger: this.#logger },
        request,
        previous,
      ),
    ]);
  }

  async #signal(request: SelfServiceRequest) {
    if (!this.#signals) return;
    try {
      // Only ids and states: pages refetch through the permission-checked API.
      await this.#signals.publish({
        recipients: { type: 'broadcast' },
        channel: SELF_SERVICE_SIGNAL_CHANNEL,
        message: {
          requestId: request.id,
          state: request.state,
          currentStage: request.currentStage,
          updatedAt: request.updatedAt,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Failed to signal change of request ${request.id}: ${error}`,
      );
    }
  }

  async #notify(
    request: SelfServiceRequest,
    previous?: { state: RequestState; currentStage: number | null },
  ) {
    if (!this.#notifications) return;
    const stageChanged =
      !previous ||
      previous.state !== request.state ||
      previous.currentStage !== request.currentStage;
    if (!stageChanged) return;
    try {
      if (
        request.state === 'pending_approval' &&
        request.currentStage !== null
      ) {
        const stage = request.approvalPolicy.stages[request.currentStage];
        await this.#notifications.send({
          recipients: {
            type: 'entity',
            entityRef: stage.groups,
            excludeEntityRef: request.requester,
          },
          payload: {
            title: `Approval needed: ${requestLabel(request)} for ${refName(request.team)}`,
            description: `${request.requester} requests ${request.environment} resources costing ${formatMoney(
              request.cost.monthlyTotal,
              request.cost.currency,
            )}/month. Stage '${stage.name}' needs ${stage.quorum} approval(s).`,
            link: requestLink(request.id),
            severity: request.environment === 'production' ? 'high' : 'normal',
            topic: 'self-service-approval',
            scope: `self-service:${request.id}:stage-${request.currentStage}`,
          },
        });
        return;
      }
      // Back from destroying means the tear-down failed, not a new resource.
      const teardownFailed =
        previous?.state === 'destroying' && request.state === 'succeeded';
      // Approved on creation means approved automatically: the requester is
      // watching that run, which goes straight on to apply.
      const autoApproved = !previous && request.state === 'approved';
      // A change or extension that succeeded changed a resource; it made none.
      const followUpDone =
        request.state === 'succeeded' &&
        (request.kind === 'change' || request.kind === 'extension');
      let what = REQUESTER_TITLES[request.state];
      if (teardownFailed) what = 'could not be torn down';
      else if (followUpDone) what = 'was applied';
      if (!what || autoApproved) return;
      await this.#notifications.send({
        recipients: { type: 'entity', entityRef: request.requester },
        payload: {
          title: `Your request ${requestLabel(request)} ${what}`,
          description: request.stateReason,
          link: requestLink(request.id),
          severity:
            request.state === 'failed' || teardownFailed ? 'high' : 'normal',
          topic: 'self-service-request',
          scope: `self-service:${request.id}:${request.state}`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Failed to notify about request ${request.id}: ${error}`,
      );
    }
  }
}
