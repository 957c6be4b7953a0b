import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  type Phase,
  PHASE_STATES,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { RequestNotifier } from './notifier';
import { PLUGIN_ACTOR } from './launchPhase';
import type { TaskStatusSource } from './taskStatus';


const ENDED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Settles requests stuck in applying or destroying from the status of their
 * scaffolder task, for runs that ended without reporting (a crash, a failed
 * step before the report, a template without the report step) and for runs
 * nobody runs any more: a `processing` task whose worker stopped sending
 * heartbeats (the backend running it was killed; without the scaffolder's
 * task recovery nothing takes it up again, and the scaffolder itself fails
 * it only after `scaffolder.taskTimeout`). A stalled task whose Terraform
 * command visibly still runs in this very process is left alone.
 *
 * Apply: a task that completed after redeeming the grant succeeded; one that
 * failed, was cancelled, completed without redeeming, or stalled, failed, and
 * the reservation is released. An interrupted apply is not resumed: the
 * grant is single-use and half-applied state needs a person; the reason
 * names the interrupted command and any state lock it left.
 * Destroy: completed after redeeming the destroy grant means destroyed;
 * anything else returns the request to succeeded, because the resource is
 * still there and must keep counting against the team's budget (the
 * requester can start the tear-down again).
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
  const from = PHASE_STATES[phase].running;
  let settled = 0;
  for (const { id, taskId, redeemed } of await store.findInFlight(phase)) {
    let task;
    try {
      task = await tasks.getTask(taskId);
    } catch (error) {
      logger.warn(
        `Could not read the status of task ${taskId} of request ${id}: ${error}`,
      );
      continue;
    }
    if (!task) continue;
    const ended = ENDED.has(task.status);
    if (!ended && !task.stalled) continue;
    const done = task.status === 'completed' && redeemed;
    let run;
    if (!done) {
      try {
        run = await tasks.describeRun?.(taskId);
      } catch (error) {
        logger.warn(
          `Could not read the run record of task ${taskId}: ${error}`,
        );
      }
    }
    if (!ended && run?.running) {
      logger.warn(
        `Task ${taskId} of request ${id} sent no heartbeat since ${task.lastHeartbeatAt}, but its Terraform command still runs in this backend; leaving it`,
      );
      continue;
    }
    let outcome: string;
    if (!ended) {
      outcome = `stopped running: no heartbeat from a scaffolder worker since ${task.lastHeartbeatAt} (the backend running it stopped)`;
    } else if (done) {
      outcome = 'completed';
    } else {
      outcome =
        task.status === 'completed'
          ? 'completed without redeeming its grant'
          : task.status;
    }
    const reason = [`${phase} task ${taskId} ${outcome}`, run?.report]
      .filter(Boolean)
      .join('; ');
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
        const to = done ? PHASE_STATES[phase].done : 'failed';
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
      if (!ended) logger.warn(`Request ${id} settled: ${reason}`);
      notifier.changed(request, { state: from, currentStage: null });
    } catch (error) {
      // The task reported its outcome meanwhile.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return settled;
}
