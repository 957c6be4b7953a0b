import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import type { LifecycleReport } from './lifecycle';
import type { RequestService } from './RequestService';

/** Stable id of the expiry sweep; one replica runs it at a time. @internal */
export const EXPIRY_SWEEP_ID = 'self-service-expiry-sweep';
/** Stable id of the apply status sync. @internal */
export const STATUS_SYNC_ID = 'self-service-status-sync';

/** Stable id of the lifecycle sweep (TTL, expiry warnings, reminders, usage alerts). @internal */
export const LIFECYCLE_SWEEP_ID = 'self-service-lifecycle-sweep';

/** The status sync runs at least this often. @internal */
export const MAX_STATUS_SYNC_INTERVAL: HumanDuration = { minutes: 1 };
/** The lifecycle sweep's first run, or after `frequency` when shorter. */
const LIFECYCLE_STARTUP_DELAY: HumanDuration = { seconds: 45 };
/** And first this soon after start-up (or after `frequency`, when shorter). */
const STATUS_SYNC_STARTUP_DELAY: HumanDuration = { seconds: 10 };

function shorter(a: HumanDuration, b: HumanDuration): HumanDuration {
  return durationToMilliseconds(a) <= durationToMilliseconds(b) ? a : b;
}

/**
 * Expires requests nobody decided before the deadline and approvals whose
 * grant lapsed unredeemed; both release their reservations by leaving the
 * reserving states.
 *
 * The status sync runs soon after start-up, so that runs the previous
 * process left behind are settled within minutes, then every `frequency`
 * but at least once a minute: it is one indexed query when nothing is in
 * flight. Its scheduler timeout is short, so a run cut off by a crash holds
 * the task's lock for a minute only.
 * @internal
 */
export async function scheduleSweeps(options: {
  scheduler: SchedulerService;
  service: RequestService;
  logger: LoggerService;
  frequency: HumanDuration;
  /** Settles requests stuck in applying or destroying; see `syncInFlightRequests`. */
  syncStatus?: () => Promise<number>;
  /** TTL tear-downs, expiry warnings, reminders, escalations; see `runLifecycle`. */
  lifecycle?: () => Promise<LifecycleReport>;
}): Promise<void> {
  const { scheduler, service, logger, frequency, syncStatus, lifecycle } =
    options;
  await scheduler.scheduleTask({
    id: EXPIRY_SWEEP_ID,
    scope: 'global',
    frequency,
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const expired = await service.expireDue();
      if (expired > 0) {
        logger.info(`Expired ${expired} self-service request(s)`);
      }
    },
  });
  if (syncStatus) {
    await scheduler.scheduleTask({
      id: STATUS_SYNC_ID,
      scope: 'global',
      frequency: shorter(frequency, MAX_STATUS_SYNC_INTERVAL),
      timeout: { minutes: 1 },
      initialDelay: shorter(frequency, STATUS_SYNC_STARTUP_DELAY),
      fn: async () => {
        const settled = await syncStatus();
        if (settled > 0) {
          logger.info(
            `Settled ${settled} self-service request(s) from their apply task status`,
          );
        }
      },
    });
  }
  if (lifecycle) {
    await scheduler.scheduleTask({
      id: LIFECYCLE_SWEEP_ID,
      scope: 'global',
      frequency,
      timeout: { minutes: 5 },
      initialDelay: shorter(frequency, LIFECYCLE_STARTUP_DELAY),
      fn: async () => {
        const report = await lifecycle();
        const did = Object.entries(report).filter(([, n]) => n > 0);
        if (did.length > 0) {
          logger.info(
            `Self-service lifecycle sweep: ${did.map(([what, n]) => `${what} ${n}`).join(', ')}`,
          );
        }
      },
    });
  }
}
