import type { RequestState } from '@internal/plugin-self-service-common';
import { parseEntityRef } from '@backstage/catalog-model';

// Amounts and relative times sit inside English sentences, so they use the
// same language rather than the browser's locale.
const LOCALE = 'en-US';

/** Formats an amount of money, e.g. `$412.50`. */
export function formatMoney(amount: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    // An unknown currency code must not break the page.
    return `${amount.toFixed(2)} ${currency}`;
  }
}

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
