import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  type GuardrailsConfig,
  readGuardrailsConfig,
} from '@internal/plugin-self-service-node';
import { resolve } from 'node:path';

// The guardrails' config is shared with the backend, which decides with it.
export {
  DEFAULT_GUARDRAILS,
  type EnvironmentRule,
  type GuardrailsConfig,
  type StageTemplate,
} from '@internal/plugin-self-service-node';

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
  /**
   * `selfService.terraform.target`: a template's module `./module` is read
   * from `./module-<target>` where the template has one (e.g. `local`).
   */
  target?: string;
  /** `selfService.terraform.simulate`; see `resolveTerraform`. */
  simulate?: 'never' | 'when-missing' | 'always';
  /** Set at start-up when the recorded runner stands in for Terraform. */
  simulated?: boolean;
}

/** @public */
export interface SelfServiceActionsConfig {
  appBaseUrl: string;
  terraform: TerraformConfig;
  guardrails: GuardrailsConfig;
}

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

function readSimulate(value: string | undefined) {
  if (value === undefined || value === '') return undefined;
  if (value === 'never' || value === 'when-missing' || value === 'always') {
    return value;
  }
  throw new Error(
    `selfService.terraform.simulate must be never, when-missing or always, not ${JSON.stringify(value)}`,
  );
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
      target: tf?.getOptionalString('target') || undefined,
      simulate: readSimulate(tf?.getOptionalString('simulate')),
      backend: backend
        ? {
            type: backend.getString('type'),
            config: readStringMap(backend.getOptionalConfig('config')),
          }
        : undefined,
    },
    guardrails: readGuardrailsConfig(
      config.getOptionalConfig('selfService.guardrails'),
    ),
  };
}
