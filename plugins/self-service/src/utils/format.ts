import type { RequestState } from '@internal/plugin-self-service-common';
import { parseEntityRef } from '@backstage/catalog-model';

// Amounts and relative times sit inside English sentences, so they use the
// same language rather than the browser's locale.
const LOCALE = 'en-US';

/** Amounts of money, written as everywhere in the product: `$412.50`, `$1,000`. */
export { formatMoney } from '@internal/plugin-self-service-common';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** A relative time such as `3 days ago` or `in 2 hours`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      // Rounded, not truncated: a 7-day expiry read a minute later is still
      // "in 7 days", not "in 6 days".
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, 'minute');
}

/** A date and time in the reader's locale. */
export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString();
}

/**
 * A calendar date, `9 Dec 2026`: day, short month and year read the same
 * everywhere, unlike `12/9/2026`.
 */
export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time).toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
      });
}

/** `pending_approval` -> `pending approval`. */
export function stateLabel(state: RequestState): string {
  return state.replace(/_/g, ' ');
}

/** The short name of an entity ref: `template:default/postgres` -> `postgres`. */
export function shortRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Shows a parameter or attribute value; objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const EVENT_LABELS: Record<string, string> = {
  created: 'Submitted',
  'submitted-for-approval': 'Waiting for approval',
  'auto-approved': 'Approved automatically',
  denied: 'Denied by a guardrail',
  'grant-redeemed': 'Approval used by the apply',
  launched: 'Apply started',
  'launch-failed': 'Apply could not start',
  'destroy-requested': 'Tear-down requested',
  escalated: 'Escalated',
  canceled: 'Withdrawn',
  expired: 'Expired',
  deleted: 'Deleted',
  'status-synced': 'Settled from the task status',
  'reported-succeeded': 'Apply succeeded',
  'reported-failed': 'Failed',
  'reported-destroyed': 'Torn down',
};

/**
 * An event's action in words: `approved-stage-0` -> `Approved (stage 1:
 * team-lead)`; an unknown code with its dashes as spaces.
 */
export function eventLabel(
  action: string,
  stages: ReadonlyArray<{ name: string }> = [],
): string {
  const decision = /^(approved|rejected)-stage-(\d+)$/.exec(action);
  if (decision) {
    const index = Number(decision[2]);
    const name = stages[index]?.name;
    const verb = decision[1] === 'approved' ? 'Approved' : 'Rejected';
    return `${verb} (stage ${index + 1}${name ? `: ${name}` : ''})`;
  }
  const known = EVENT_LABELS[action];
  if (known) return known;
  const words = action.replace(/[-_]+/g, ' ').trim();
  return words ? words[0].toLocaleUpperCase(LOCALE) + words.slice(1) : action;
}
