import { warnExpiring } from './expiryWarnings';
import { remindApprovers } from './reminders';
import { destroyExpired } from './ttlSweep';
import type { LifecycleDeps } from './types';
import { alertUsage } from './usageAlerts';

export { readLifecycleSettings, type LifecycleSettings } from './config';
export type { LifecycleDeps } from './types';

/** What one lifecycle sweep did. @internal */
export interface LifecycleReport {
  destroyed: number;
  warned: number;
  reminded: number;
  escalated: number;
  alerted: number;
}

/**
 * One run of the lifecycle sweep: TTL tear-downs, expiry warnings, approver
 * reminders and escalations, usage alerts. Each part runs even when another
 * failed; the first failure is rethrown after all ran.
 * @internal
 */
export async function runLifecycle(deps: LifecycleDeps): Promise<LifecycleReport> {
  const report: LifecycleReport = {
    destroyed: 0,
    warned: 0,
    reminded: 0,
    escalated: 0,
    alerted: 0,
  };
  const failures: unknown[] = [];
  const part = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failures.push(error);
    }
  };
  await part(async () => {
    report.destroyed = await destroyExpired(deps);
  });
  await part(async () => {
    report.warned = await warnExpiring(deps);
  });
  await part(async () => {
    Object.assign(report, await remindApprovers(deps));
  });
  await part(async () => {
    report.alerted = await alertUsage(deps);
  });
  if (failures.length > 0) throw failures[0];
  return report;
}
