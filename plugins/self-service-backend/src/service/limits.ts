import type {
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_COST_CENTER,
  ANNOTATION_MONTHLY_BUDGET,
  ANNOTATION_RESOURCE_QUOTA,
  type TeamUsage,
} from '@internal/plugin-self-service-common';

/** A team's limits, from its Group entity or the configured defaults. @internal */
export interface TeamLimits {
  team: string;
  currency: string;
  monthlyBudget: number;
  resourceQuota: number;
  /** Read with the limits from the same group, so guardrails need not read it again. */
  costCenter?: string;
}

/** What a team uses now, summed from its requests' states. @internal */
export interface UsageTotals {
  liveMonthly: number;
  reservedMonthly: number;
  liveCount: number;
  reservedCount: number;
}

/** Defaults used when nothing is configured. @internal */
export const LIMIT_DEFAULTS = {
  monthlyBudget: 1000,
  resourceQuota: 10,
  currency: 'USD',
} as const;

// Sums of decimals: compare with a tolerance below a hundredth of a cent.
const EPSILON = 1e-6;

/** Formats an amount like "$1,000" or "$12.5". @internal */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * Every limit the request would exceed, each with its numbers, so that one
 * denial tells the requester everything at once.
 * @internal
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
  if (spend > limits.monthlyBudget + EPSILON) {
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

/** @internal */
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

/** Reads team limits from Group annotations through the catalog. @internal */
export interface TeamLimitsSource {
  getLimits(team: string): Promise<TeamLimits>;
}

/** @internal */
export class CatalogTeamLimits implements TeamLimitsSource {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #defaults: {
    monthlyBudget: number;
    resourceQuota: number;
    currency: string;
  };

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    config: RootConfigService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    const c = options.config;
    this.#defaults = {
      monthlyBudget:
        c.getOptionalNumber('selfService.defaults.monthlyBudget') ??
        LIMIT_DEFAULTS.monthlyBudget,
      resourceQuota:
        c.getOptionalNumber('selfService.defaults.resourceQuota') ??
        LIMIT_DEFAULTS.resourceQuota,
      currency:
        c.getOptionalString('selfService.defaults.currency') ??
        LIMIT_DEFAULTS.currency,
    };
  }

  async getLimits(team: string): Promise<TeamLimits> {
    // The plugin reads groups as itself: limits must not depend on what the
    // requester happens to be allowed to see in the catalog.
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entity = await this.#catalog.getEntityByRef(team, { credentials });
    const annotations = entity?.metadata.annotations ?? {};
    const costCenter = annotations[ANNOTATION_COST_CENTER]?.trim();
    return {
      team,
      ...(costCenter ? { costCenter } : {}),
      currency: this.#defaults.currency,
      monthlyBudget: this.#readAnnotation(
        team,
        ANNOTATION_MONTHLY_BUDGET,
        annotations[ANNOTATION_MONTHLY_BUDGET],
        this.#defaults.monthlyBudget,
      ),
      resourceQuota: Math.floor(
        this.#readAnnotation(
          team,
          ANNOTATION_RESOURCE_QUOTA,
          annotations[ANNOTATION_RESOURCE_QUOTA],
          this.#defaults.resourceQuota,
        ),
      ),
    };
  }

  #readAnnotation(
    team: string,
    key: string,
    raw: string | undefined,
    fallback: number,
  ): number {
    if (raw === undefined) {
      return fallback;
    }
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
      this.#logger.warn(
        `Ignoring invalid ${key} annotation '${raw}' on ${team}; using ${fallback}`,
      );
      return fallback;
    }
    return value;
  }
}
