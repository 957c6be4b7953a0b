import type { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import {
  type ExtensionPolicies,
  readExtensionPolicies,
} from './followUps/extensionPolicy';
import {
  type GuardrailsConfig,
  readGuardrailsConfig,
} from '@internal/plugin-self-service-node';

/** The plugin's settings under `selfService`, with defaults applied. @internal */
export interface SelfServiceSettings {
  approvalTimeoutMs: number;
  grantTtlMs: number;
  sweepFrequency: HumanDuration;
  launchEnabled: boolean;
  limitsCacheTtlMs: number;
  /** `selfService.guardrails`: what requests need, whatever a template says. */
  guardrails: GuardrailsConfig;
  /** `selfService.lifecycle.extensions`: how far resources may be extended, per environment. */
  extensions: ExtensionPolicies;
}

const DEFAULT_APPROVAL_TIMEOUT: HumanDuration = { days: 7 };
const DEFAULT_GRANT_TTL: HumanDuration = { hours: 24 };
const DEFAULT_SWEEP_FREQUENCY: HumanDuration = { minutes: 5 };
const DEFAULT_LIMITS_CACHE_TTL: HumanDuration = { seconds: 10 };

function durationMs(
  config: RootConfigService,
  key: string,
  fallback: HumanDuration,
): number {
  const value = config.has(key)
    ? readDurationFromConfig(config, { key })
    : fallback;
  return durationToMilliseconds(value);
}

/** @internal */
export function readSettings(config: RootConfigService): SelfServiceSettings {
  return {
    approvalTimeoutMs: durationMs(
      config,
      'selfService.approvalTimeout',
      DEFAULT_APPROVAL_TIMEOUT,
    ),
    grantTtlMs: durationMs(config, 'selfService.grantTtl', DEFAULT_GRANT_TTL),
    sweepFrequency: config.has('selfService.sweepFrequency')
      ? readDurationFromConfig(config, { key: 'selfService.sweepFrequency' })
      : DEFAULT_SWEEP_FREQUENCY,
    launchEnabled:
      config.getOptionalBoolean('selfService.launch.enabled') ?? true,
    limitsCacheTtlMs: durationMs(
      config,
      'selfService.limitsCacheTtl',
      DEFAULT_LIMITS_CACHE_TTL,
    ),
    guardrails: readGuardrailsConfig(
      config.getOptionalConfig('selfService.guardrails'),
    ),
    extensions: readExtensionPolicies(config),
  };
}
