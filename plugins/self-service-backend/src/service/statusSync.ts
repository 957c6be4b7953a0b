import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { RequestNotifier } from './notifier';
import { PLUGIN_ACTOR } from './launchPhase';
import type { TaskStatusSource } from './taskStatus';

type Phase = 'apply' | 'destroy';

const IN_FLIGHT_STATE = { apply: 'applying', destroy: 'destroying' } as const;
/** Where a finished task that redeemed its grant leaves the request. */
const DONE_STATE = { apply: 'succeeded', destroy: 'destroyed' } as const;

/**
 * Settles requests stuck in applying or destroying from the status of their
 * scaffolder task, for runs that ended without reporting (a crash, a failed
 * step before the report, a template without the report step).
 *
 * Apply: a task that completed after redeeming the grant succeeded; one that
 * failed, was cancelled, or completed without redeeming, failed, and the
 * reservation is released.
 * Destroy: completed after redeeming the destroy grant means destroyed;
 * anything else returns the request to succeeded, because the resource is
 * still there and must keep counting against the team's budget.
 * @internal
 */
export async function syncInFlightRequests(options: {
  store: SelfServiceStore;
  tasks: TaskStatusSource;
  notifier: RequestNotifier;
  logger: LoggerService;
  now?: () => Date;
}): Promise<number> {
  let settled = 0;
  for (const phase of ['apply', 'destroy'] as const) {
    settled += await syncPhase(options, phase);
  }
  return settled;
}

async function syncPhase(
  options: Parameters<typeof syncInFlightRequests>[0],
  phase: Phase,
): Promise<number> {
  const { store, tasks, notifier, logger } = options;
  const now = options.now ?? (() => new Date());
  const from = IN_FLIGHT_STATE[phase];
  let settled = 0;
  for (const { id, taskId, redeemed } of await store.findInFlight(phase)) {
    let status;
    try {
      status = await tasks.getStatus(taskId);
    } catch (error) {
      logger.warn(
        `Could not read the status of task ${taskId} of request ${id}: ${error}`,
      );
      continue;
    }
    if (
      status !== 'completed' &&
      status !== 'failed' &&
      status !== 'cancelled'
    ) {
      continue;
    }
    const done = status === 'completed' && redeemed;
    const outcome = done
      ? 'completed'
      : `${status === 'completed' ? 'completed without redeeming its grant' : status}`;
    const reason = `${phase} task ${taskId} ${outcome}`;
    try {
      let request: SelfServiceRequest;
      if (phase === 'destroy' && !done) {
        request = await store.abortDestroy({
          id,
          actor: PLUGIN_ACTOR,
          action: 'status-synced',
          reason: `tear-down did not finish: ${reason}`,
          now: now(),
        });
      } else {
        const to = done ? DONE_STATE[phase] : 'failed';
        request = await store.transition({
          id,
          from,
          to,
          actor: PLUGIN_ACTOR,
          action: 'status-synced',
          reason,
          now: now(),
        });
      }
      settled += 1;
      notifier.changed(request, { state: from, currentStage: null });
    } catch (error) {
      // The task reported its outcome meanwhile.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return settled;
}
