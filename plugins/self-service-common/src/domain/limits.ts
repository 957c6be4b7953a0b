import type { TeamUsage } from '../types';
import { formatMoney } from './money';

/**
 * The team budget and quota rules. The store applies them in the
 * transaction that reserves a request's cost, the guardrails step warns with
 * them before the plan, and the form's budget line shows them; one copy, so
 * that what the form says is what the backend decides.
 */

/** A team's limits, from its Group entity or the configured defaults. @public */
export interface TeamLimits {
  team: string;
  currency: string;
  monthlyBudget: number;
  resourceQuota: number;
  /** Read with the limits from the same group, so guardrails need not read it again. */
  costCenter?: string;
}

/** What a team uses now, summed from its requests' states. @public */
export interface UsageTotals {
  liveMonthly: number;
  reservedMonthly: number;
  liveCount: number;
  reservedCount: number;
}

// Sums of decimals: compare with a tolerance below a hundredth of a cent.
const EPSILON = 1e-6;

/** Whether a projected monthly spend is over the budget. @public */
export function exceedsBudget(projectedMonthly: number, monthlyBudget: number): boolean {
  return projectedMonthly > monthlyBudget + EPSILON;
}

/**
 * Every limit the request would exceed, each with its numbers, so that one
 * denial tells the requester everything at once.
 * @public
 */
export function evaluateLimits(options: {
  limits: TeamLimits;
  usage: UsageTotals;
  requestedMonthly: number;
  requestedCount?: number;
}): string[] {
  const { limits, usage, requestedMonthly } = options;
  const requestedCount = options.requestedCount ?? 1;
  const money = (n: number) => formatMoney(n, limits.currency);
  const violations: string[] = [];
  const spend = usage.liveMonthly + usage.reservedMonthly + requestedMonthly;
  if (exceedsBudget(spend, limits.monthlyBudget)) {
    violations.push(
      `monthly budget: ${money(usage.liveMonthly)} used + ${money(
        usage.reservedMonthly,
      )} reserved + ${money(requestedMonthly)} requested > ${money(
        limits.monthlyBudget,
      )} limit`,
    );
  }
  const count = usage.liveCount + usage.reservedCount + requestedCount;
  if (count > limits.resourceQuota) {
    violations.push(
      `resource quota: ${usage.liveCount} live + ${usage.reservedCount} reserved + ${requestedCount} requested > ${limits.resourceQuota} limit`,
    );
  }
  return violations;
}

/** The usage view of a team's limits and totals, rounded to the cent. @public */
export function toTeamUsage(limits: TeamLimits, usage: UsageTotals): TeamUsage {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    team: limits.team,
    currency: limits.currency,
    budget: {
      limit: limits.monthlyBudget,
      live: round(usage.liveMonthly),
      reserved: round(usage.reservedMonthly),
      remaining: round(
        Math.max(
          0,
          limits.monthlyBudget - usage.liveMonthly - usage.reservedMonthly,
        ),
      ),
    },
    quota: {
      limit: limits.resourceQuota,
      live: usage.liveCount,
      reserved: usage.reservedCount,
      remaining: Math.max(
        0,
        limits.resourceQuota - usage.liveCount - usage.reservedCount,
      ),
    },
    ...(limits.costCenter ? { costCenter: limits.costCenter } : {}),
  };
}

/**
 * What a team's usage leaves after a request of `monthly`: the budget left
 * (negative when over) and whether the budget or the quota would refuse it.
 * @public
 */
export function usageAfter(usage: TeamUsage, monthly: number) {
  const projected = usage.budget.live + usage.budget.reserved + monthly;
  return {
    budgetLeft: usage.budget.limit - projected,
    overBudget: exceedsBudget(projected, usage.budget.limit),
    overQuota: usage.quota.live + usage.quota.reserved + 1 > usage.quota.limit,
  };
}
