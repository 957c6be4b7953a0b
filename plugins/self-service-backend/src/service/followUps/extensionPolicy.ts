import type { Config } from '@backstage/config';
import type { ExtensionPolicy } from '@internal/plugin-self-service-common';
import { DEFAULT_STAGE } from '@internal/plugin-self-service-node';

/**
 * `selfService.lifecycle.extensions`: per environment, how many days an
 * extension may add at once without approval (`autoApproveDays`) and at
 * most (`maxDays`); `selfService.lifecycle.extensionStage` names the
 * approval stage (from `selfService.guardrails.stages`) that decides the
 * longer ones. Environments without a TTL have nothing to extend.
 * @internal
 */
export type ExtensionPolicies = Record<string, ExtensionPolicy>;

/** Dev resources may gain a week at once, staging two; a month and two at most. @internal */
export const DEFAULT_EXTENSION_POLICIES: ExtensionPolicies = {
  dev: { autoApproveDays: 7, maxDays: 30, stage: DEFAULT_STAGE },
  staging: { autoApproveDays: 14, maxDays: 60, stage: DEFAULT_STAGE },
};

function wholeDays(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`selfService.lifecycle.extensions: ${key} must be a whole number of days, not ${value}`);
  }
  return value;
}

/** Reads the extension policies from the root config, with the defaults. @internal */
export function readExtensionPolicies(root: Config): ExtensionPolicies {
  const stage = root.getOptionalString('selfService.lifecycle.extensionStage') ?? DEFAULT_STAGE;
  const policies: ExtensionPolicies = {};
  for (const [env, policy] of Object.entries(DEFAULT_EXTENSION_POLICIES)) {
    policies[env] = { ...policy, stage };
  }
  const configured = root.getOptionalConfig('selfService.lifecycle.extensions');
  for (const env of configured?.keys() ?? []) {
    const entry = configured!.getConfig(env);
    const base = policies[env] ?? { autoApproveDays: 0, maxDays: 0, stage };
    const autoApproveDays = wholeDays(entry, 'autoApproveDays', base.autoApproveDays);
    const maxDays = wholeDays(entry, 'maxDays', base.maxDays);
    if (autoApproveDays > maxDays) {
      throw new Error(
        `selfService.lifecycle.extensions.${env}: autoApproveDays (${autoApproveDays}) exceeds maxDays (${maxDays})`,
      );
    }
    policies[env] = { autoApproveDays, maxDays, stage };
  }
  return policies;
}
