import { LIVE_STATES, RESERVING_STATES } from '@internal/plugin-self-service-common';
import { formatMoney } from '../limits';
import type { LifecycleDeps } from './types';

/** The period a usage alert is sent once in: the UTC month, e.g. 2026-12. @internal */
export const usagePeriod = (now: Date) => now.toISOString().slice(0, 7);

/**
 * Tells a team, once per month and threshold, that its live and reserved
 * monthly cost reached a share of its budget (default 80 % and 100 %) or
 * that its live and pending resources reached its quota. Only the highest
 * budget threshold reached is sent; lower ones are recorded as passed.
 * Returns how many alerts were sent.
 * @internal
 */
export async function alertUsage(deps: LifecycleDeps): Promise<number> {
  const { store, notifications, limits, logger } = deps;
  const ratios = deps.lifecycle.budgetAlertRatios;
  if (!notifications || !limits) return 0;
  const now = deps.now();
  const period = usagePeriod(now);
  let sent = 0;
  const teams = await store.lifecycle.activeTeams([
    ...LIVE_STATES,
    ...RESERVING_STATES,
  ]);
  for (const team of teams) {
    try {
      const [teamLimits, usage] = await Promise.all([
        limits.getLimits(team),
        store.getUsage(team),
      ]);
      const spend = usage.liveMonthly + usage.reservedMonthly;
      const count = usage.liveCount + usage.reservedCount;
      const budget = teamLimits.monthlyBudget;
      const reached = ratios.filter(r => budget > 0 && spend >= r * budget - 1e-6);
      const top = reached.length ? Math.max(...reached) : undefined;
      if (top !== undefined) {
        const kind = `budget-${Math.round(top * 100)}`;
        // Claim every reached threshold; send only if the highest one is new.
        const claims = await Promise.all(
          reached.map(r =>
            store.lifecycle.claimTeamNotice(team, `budget-${Math.round(r * 100)}`, period, now),
          ),
        );
        if (claims[reached.indexOf(top)]) {
          sent += 1;
          await notifications.send({
            recipients: { type: 'entity', entityRef: team },
            payload: {
              title: `${team} has used ${Math.round((spend / budget) * 100)} % of its monthly budget`,
              description: `Live and pending resources cost ${formatMoney(spend, teamLimits.currency)} a month of a ${formatMoney(budget, teamLimits.currency)} budget.`,
              link: '/self-service',
              severity: top >= 1 ? 'high' : 'normal',
              topic: 'self-service-usage',
              scope: `self-service:${team}:${kind}:${period}`,
            },
          });
        }
      }
      if (
        teamLimits.resourceQuota > 0 &&
        count >= teamLimits.resourceQuota &&
        (await store.lifecycle.claimTeamNotice(team, 'quota', period, now))
      ) {
        sent += 1;
        await notifications.send({
          recipients: { type: 'entity', entityRef: team },
          payload: {
            title: `${team} has reached its resource quota`,
            description: `${count} live and pending resources of a quota of ${teamLimits.resourceQuota}; new requests are denied until some are destroyed.`,
            link: '/self-service',
            severity: 'high',
            topic: 'self-service-usage',
            scope: `self-service:${team}:quota:${period}`,
          },
        });
      }
    } catch (error) {
      logger.warn(`Failed to check the usage of ${team}: ${error}`);
    }
  }
  return sent;
}
