import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { RequestNotifier } from './notifier';
import { PLUGIN_ACTOR } from './applyLaunch';
import type { TaskStatusSource } from './taskStatus';

/**
 * Settles requests stuck in applying from the status of their scaffolder
 * task, for runs that ended without reporting (a crash, a failed step before
 * the report, a template without the report step). A task that completed
 * after redeeming the grant succeeded; one that failed, was cancelled, or
 * completed without redeeming, failed. Either way the reservation is settled.
 * @internal
 */
export async function syncApplyingRequests(options: {
  store: SelfServiceStore;
  tasks: TaskStatusSource;
  notifier: RequestNotifier;
  logger: LoggerService;
  now?: () => Date;
}): Promise<number> {
  const { store, tasks, notifier, logger } = options;
  const now = options.now ?? (() => new Date());
  let settled = 0;
  for (const { id, taskId, redeemed } of await store.findApplying()) {
    let status;
    try {
      status = await tasks.getStatus(taskId);
    } catch (error) {
      logger.warn(`Could not read the status of task ${taskId} of request ${id}: ${error}`);
      continue;
    }
    const to = status === 'completed' && redeemed ? 'succeeded' : 'failed';
    if (status === 'completed' || status === 'failed' || status === 'cancelled') {
      const reason =
        to === 'succeeded'
          ? `apply task ${taskId} completed`
          : `apply task ${taskId} ${status === 'completed' ? 'completed without redeeming its grant' : status}`;
      try {
        const request = await store.transition({
          id,
          from: 'applying',
          to,
          actor: PLUGIN_ACTOR,
          action: 'status-synced',
          reason,
          now: now(),
        });
        settled += 1;
        await notifier.changed(request, { state: 'applying', currentStage: null });
      } catch (error) {
        // The task reported its outcome meanwhile.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
  return settled;
}
