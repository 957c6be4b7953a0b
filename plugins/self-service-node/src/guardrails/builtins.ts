import {
  type Environment,
  exceedsBudget,
  type Finding,
  formatMoney,
  type TeamUsage,
} from '@internal/plugin-self-service-common';
import type { GuardrailsConfig } from './config';

export interface BuiltInGuardrailsInput {
  /** Short team name for messages, e.g. team-a. */
  teamLabel: string;
  environment: Environment;
  /** Monthly cost of the request; undefined when it could not be estimated. */
  monthlyCost?: number;
  currency: string;
  /** Items the estimate could not price. */
  unpriced: string[];
  /** Team limits; undefined when this request's reservation is already counted. */
  usage?: TeamUsage;
  config: GuardrailsConfig;
  costCeiling?: number;
  financeThreshold?: number;
  /** Overrides the environment's configured time to live. */
  ttlMs?: number;
  now: Date;
}

function money(currency: string, amount: number): string {
  return formatMoney(amount, currency);
}

/** Rounds down to the minute so both phases of a request produce the same tag. */
export function expiryFrom(now: Date, ttlMs: number): string {
  const at = new Date(now.getTime() + ttlMs);
  at.setUTCSeconds(0, 0);
  return at.toISOString();
}

function humanDuration(ms: number): string {
  const days = ms / (24 * 3600 * 1000);
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = ms / (3600 * 1000);
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} hours`;
}

/**
 * The guardrails every request gets: team quota and budget, the per-request
 * cost ceiling, the finance threshold and the environment rules.
 */
export function evaluateBuiltInGuardrails(input: BuiltInGuardrailsInput): {
  findings: Finding[];
  expiresAt?: string;
} {
  const { usage, monthlyCost, currency, teamLabel, config } = input;
  const findings: Finding[] = [];

  if (usage) {
    const q = usage.quota;
    const used = q.live + q.reserved;
    if (used + 1 > q.limit) {
      findings.push({
        code: 'quota.exceeded',
        severity: 'deny',
        message: `Team ${teamLabel} has ${used} of its ${q.limit} resources in use (${q.live} live, ${q.reserved} reserved); this request needs one more.`,
      });
    }
  }

  if (monthlyCost === undefined) {
    findings.push({
      code: 'cost.unknown',
      severity: 'require-approval',
      stage: 'finance',
      message: `The monthly cost could not be estimated${input.unpriced.length ? ` (not priced: ${input.unpriced.join(', ')})` : ''}, so finance must approve.`,
    });
  } else {
    if (input.unpriced.length) {
      findings.push({
        code: 'cost.unpriced',
        severity: 'warn',
        message: `Not priced: ${input.unpriced.join(', ')}. The estimate of ${money(currency, monthlyCost)} per month covers the priced items only.`,
      });
    }
    if (usage) {
      const b = usage.budget;
      const projected = b.live + b.reserved + monthlyCost;
      const spend = `${money(currency, b.live)} live + ${money(currency, b.reserved)} reserved + ${money(currency, monthlyCost)} for this request = ${money(currency, projected)}`;
      if (exceedsBudget(projected, b.limit)) {
        findings.push({
          code: 'budget.exceeded',
          severity: 'deny',
          message: `Team ${teamLabel}'s monthly budget of ${money(currency, b.limit)} would be exceeded: ${spend}, ${money(currency, projected - b.limit)} over.`,
        });
      } else if (
        b.limit > 0 &&
        projected > b.limit * config.budgetWarningRatio
      ) {
        findings.push({
          code: 'budget.near-limit',
          severity: 'warn',
          message: `This request brings team ${teamLabel} to ${Math.round((projected / b.limit) * 100)}% of its monthly budget of ${money(currency, b.limit)}: ${spend}.`,
        });
      }
    }
    const ceiling = input.costCeiling ?? config.costCeiling;
    if (ceiling !== undefined && monthlyCost > ceiling) {
      const deny = config.costCeilingAction === 'deny';
      findings.push({
        code: 'cost.ceiling',
        severity: deny ? 'deny' : 'require-approval',
        ...(deny ? {} : { stage: 'finance' }),
        message: `The estimated monthly cost of ${money(currency, monthlyCost)} is over the per-request ceiling of ${money(currency, ceiling)}${deny ? '' : '; finance must approve'}.`,
      });
    }
    const threshold = input.financeThreshold ?? config.financeThreshold;
    if (threshold !== undefined && monthlyCost > threshold) {
      findings.push({
        code: 'cost.finance-approval',
        severity: 'require-approval',
        stage: 'finance',
        message: `The estimated monthly cost of ${money(currency, monthlyCost)} is over ${money(currency, threshold)}, so finance must approve.`,
      });
    }
  }

  const rule = config.environments[input.environment];
  if (rule?.requireApproval) {
    findings.push({
      code: 'environment.approval',
      severity: 'require-approval',
      stage: rule.stage,
      message: `${input.environment} requests need the ${rule.stage} approval.`,
    });
  }
  const ttlMs = input.ttlMs ?? rule?.ttlMs;
  let expiresAt: string | undefined;
  if (ttlMs !== undefined) {
    expiresAt = expiryFrom(input.now, ttlMs);
    findings.push({
      code: 'environment.ttl',
      severity: 'warn',
      message: `${input.environment} resources expire after ${humanDuration(ttlMs)}, at ${expiresAt}, and are then destroyed.`,
    });
  }
  return { findings, expiresAt };
}
