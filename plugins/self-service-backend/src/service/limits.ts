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
  type TeamLimits,
} from '@internal/plugin-self-service-common';

// The limit rules live in the common domain module; service code reads them here.
export {
  evaluateLimits,
  formatMoney,
  toTeamUsage,
  type TeamLimits,
  type UsageTotals,
} from '@internal/plugin-self-service-common';

/** Defaults used when nothing is configured. @internal */
export const LIMIT_DEFAULTS = {
  monthlyBudget: 1000,
  resourceQuota: 10,
  currency: 'USD',
} as const;

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
