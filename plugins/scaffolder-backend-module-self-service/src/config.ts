import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { resolve } from 'node:path';

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

/** @public */
export interface TerraformConfig {
  binary: string;
  /** Where working directories live; the task's workspace when unset. */
  workingDirectoryRoot?: string;
  stateDirectory: string;
  timeoutMs: number;
  killGraceMs: number;
  /** Extra environment variables for the CLI. */
  environment: Record<string, string>;
  /** Names (or `PREFIX_*` patterns) of backend environment variables passed to the CLI. */
  inheritEnvironment: string[];
  /** A non-local backend: type and -backend-config values with placeholders. */
  backend?: { type: string; config: Record<string, string> };
}

/** @public */
export interface SelfServiceActionsConfig {
  appBaseUrl: string;
  terraform: TerraformConfig;
  guardrails: GuardrailsConfig;
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

const DEFAULT_INHERITED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'TF_*',
  'AWS_*',
  'GOOGLE_*',
  'ARM_*',
];

function duration(config: Config, key: string): number | undefined {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : undefined;
}

function readStringMap(config: Config | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of config?.keys() ?? []) {
    result[key] = config!.getString(key);
  }
  return result;
}

function readGuardrails(config: Config | undefined): GuardrailsConfig {
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

/** Reads `selfService.terraform`, `selfService.guardrails` and `app.baseUrl`. @public */
export function readSelfServiceActionsConfig(
  config: Config,
): SelfServiceActionsConfig {
  const tf = config.getOptionalConfig('selfService.terraform');
  const root = tf?.getOptionalString('workingDirectoryRoot');
  const backend = tf?.getOptionalConfig('backend');
  return {
    appBaseUrl: config.getString('app.baseUrl').replace(/\/+$/, ''),
    terraform: {
      binary: tf?.getOptionalString('binary') ?? 'terraform',
      workingDirectoryRoot: root ? resolve(root) : undefined,
      stateDirectory: resolve(
        tf?.getOptionalString('stateDirectory') ??
          '.self-service/terraform-state',
      ),
      timeoutMs: (tf && duration(tf, 'timeout')) ?? 30 * 60 * 1000,
      killGraceMs: (tf && duration(tf, 'killGracePeriod')) ?? 10 * 1000,
      environment: readStringMap(tf?.getOptionalConfig('environment')),
      inheritEnvironment:
        tf?.getOptionalStringArray('inheritEnvironment') ??
        DEFAULT_INHERITED_ENV,
      backend: backend
        ? {
            type: backend.getString('type'),
            config: readStringMap(backend.getOptionalConfig('config')),
          }
        : undefined,
    },
    guardrails: readGuardrails(
      config.getOptionalConfig('selfService.guardrails'),
    ),
  };
}
