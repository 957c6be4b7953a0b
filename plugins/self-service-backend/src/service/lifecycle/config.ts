import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';

/** `selfService.lifecycle`, with defaults applied. @internal */
export interface LifecycleSettings {
  /** How long before expiry the requester and the team are warned, longest first. */
  expiryWarningsMs: number[];
  /** How long a stage waits before its approvers are reminded. */
  reminderAfterMs: number;
  /** The group added as approvers of a stage nobody decided; none: no escalation. */
  escalateTo?: string;
  /** How long a stage waits before it is escalated. */
  escalateAfterMs: number;
  /** Shares of the monthly budget at which a team is alerted, e.g. 0.8 and 1. */
  budgetAlertRatios: number[];
}

const DAY_MS = 24 * 3600_000;

/** The defaults: warnings 3 days and 1 day ahead, remind after 24 h, escalate after 48 h. @internal */
export const LIFECYCLE_DEFAULTS: LifecycleSettings = {
  expiryWarningsMs: [3 * DAY_MS, DAY_MS],
  reminderAfterMs: DAY_MS,
  escalateAfterMs: 2 * DAY_MS,
  budgetAlertRatios: [0.8, 1],
};

function durationMs(config: Config, key: string, fallback: number): number {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

/** One duration of a list: a HumanDuration object or an ISO 8601 / ms-style string. */
function listedDurationMs(value: unknown, key: string): number {
  const reader = new ConfigReader({ value: value as any }, key);
  const duration: HumanDuration = readDurationFromConfig(reader, { key: 'value' });
  return durationToMilliseconds(duration);
}

/** Reads `selfService.lifecycle` from the root config. @internal */
export function readLifecycleSettings(root: Config): LifecycleSettings {
  const config =
    root.getOptionalConfig('selfService.lifecycle') ?? new ConfigReader({});
  const listed = config.getOptional<unknown[]>('expiryWarnings');
  if (listed !== undefined && !Array.isArray(listed)) {
    throw new Error(
      'selfService.lifecycle.expiryWarnings must be a list of durations',
    );
  }
  const expiryWarningsMs = listed
    ? listed.map((value, i) =>
        listedDurationMs(value, `selfService.lifecycle.expiryWarnings[${i}]`),
      )
    : LIFECYCLE_DEFAULTS.expiryWarningsMs;
  const ratios = config.getOptional<unknown[]>('budgetAlerts');
  if (
    ratios !== undefined &&
    (!Array.isArray(ratios) ||
      ratios.some(r => typeof r !== 'number' || !(r > 0)))
  ) {
    throw new Error(
      'selfService.lifecycle.budgetAlerts must be a list of positive shares of the budget, e.g. [0.8, 1]',
    );
  }
  const escalateTo = config.getOptionalString('escalateTo');
  return {
    expiryWarningsMs: [...new Set(expiryWarningsMs.filter(ms => ms > 0))].sort(
      (a, b) => b - a,
    ),
    reminderAfterMs: durationMs(
      config,
      'reminderAfter',
      LIFECYCLE_DEFAULTS.reminderAfterMs,
    ),
    escalateAfterMs: durationMs(
      config,
      'escalateAfter',
      LIFECYCLE_DEFAULTS.escalateAfterMs,
    ),
    ...(escalateTo
      ? {
          escalateTo: stringifyEntityRef(
            parseEntityRef(escalateTo, {
              defaultKind: 'group',
              defaultNamespace: 'default',
            }),
          ),
        }
      : {}),
    budgetAlertRatios: ratios
      ? [...new Set(ratios as number[])].sort((a, b) => a - b)
      : LIFECYCLE_DEFAULTS.budgetAlertRatios,
  };
}
