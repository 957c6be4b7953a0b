import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * `selfService.guardrails`: the organisation's own controls. Both the
 * guardrails step (to tell the requester early) and the backend (to decide,
 * whatever the template says) read them from the same config.
 */

/** A named approval stage; `{team}` / `{teamName}` in a group expand to the owning team. @public */
export interface StageTemplate {
  groups: string[];
  quorum: number;
}

/** @public */
export interface EnvironmentRule {
  /** Requests for this environment need the `stage` approval. */
  requireApproval: boolean;
  stage: string;
  /** Resources in this environment expire after this long. */
  ttlMs?: number;
}

/** @public */
export interface GuardrailsConfig {
  /** Per-request monthly cost ceiling. */
  costCeiling?: number;
  costCeilingAction: 'deny' | 'require-approval';
  /** Monthly cost above which the finance stage is added. */
  financeThreshold?: number;
  /** Share of the budget above which a warning is given. */
  budgetWarningRatio: number;
  stages: Record<string, StageTemplate>;
  environments: Record<string, EnvironmentRule>;
}

const DAY = 24 * 60 * 60 * 1000;

/** Defaults, also used by tests. @public */
export const DEFAULT_GUARDRAILS: GuardrailsConfig = {
  costCeilingAction: 'deny',
  budgetWarningRatio: 0.8,
  stages: {
    'team-lead': {
      groups: ['group:{teamNamespace}/{teamName}-leads'],
      quorum: 1,
    },
    finance: { groups: ['group:default/finance'], quorum: 1 },
  },
  environments: {
    production: { requireApproval: true, stage: 'team-lead' },
    staging: { requireApproval: false, stage: 'team-lead', ttlMs: 30 * DAY },
    dev: { requireApproval: false, stage: 'team-lead', ttlMs: 7 * DAY },
  },
};

function duration(config: Config, key: string): number | undefined {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : undefined;
}

/** Reads `selfService.guardrails` (pass that sub-config), with defaults. @public */
export function readGuardrailsConfig(
  config: Config | undefined,
): GuardrailsConfig {
  const stages = { ...DEFAULT_GUARDRAILS.stages };
  const stagesConfig = config?.getOptionalConfig('stages');
  for (const name of stagesConfig?.keys() ?? []) {
    const stage = stagesConfig!.getConfig(name);
    stages[name] = {
      groups: stage.getStringArray('groups'),
      quorum: stage.getOptionalNumber('quorum') ?? 1,
    };
  }
  const environments = { ...DEFAULT_GUARDRAILS.environments };
  const envConfig = config?.getOptionalConfig('environments');
  for (const name of envConfig?.keys() ?? []) {
    const env = envConfig!.getConfig(name);
    const base = environments[name] ?? {
      requireApproval: false,
      stage: 'team-lead',
    };
    environments[name] = {
      requireApproval:
        env.getOptionalBoolean('requireApproval') ?? base.requireApproval,
      stage: env.getOptionalString('stage') ?? base.stage,
      ttlMs: env.has('ttl') ? duration(env, 'ttl') : base.ttlMs,
    };
  }
  const action = config?.getOptionalString('costCeilingAction') ?? 'deny';
  if (action !== 'deny' && action !== 'require-approval') {
    throw new Error(
      `selfService.guardrails.costCeilingAction must be deny or require-approval, got ${action}`,
    );
  }
  return {
    costCeiling: config?.getOptionalNumber('costCeiling'),
    costCeilingAction: action,
    financeThreshold: config?.getOptionalNumber('financeThreshold'),
    budgetWarningRatio:
      config?.getOptionalNumber('budgetWarningRatio') ??
      DEFAULT_GUARDRAILS.budgetWarningRatio,
    stages,
    environments,
  };
}
