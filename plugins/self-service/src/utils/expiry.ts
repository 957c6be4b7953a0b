import { formatDate } from './format';

/** From this close to its expiry on, a resource's countdown is a warning. */
export const EXPIRY_WARNING_DAYS = 3;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/**
 * A countdown counts in days (hours on the last day): "in 10 days" reads
 * better on a TTL than a calendar-relative "next week".
 */
function countdownPhrase(time: number, now: number): string {
  const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const left = time - now;
  if (Math.abs(left) < DAY_MS) {
    return relative.format(Math.round(left / HOUR_MS), 'hour');
  }
  return relative.format(Math.round(left / DAY_MS), 'day');
}

/** How a resource's expiry reads, and whether it needs attention. */
export interface ExpiryCountdown {
  /** `Expires in 6 days · 9 Dec 2026`, or `Expired 2 days ago · 1 Dec 2026`. */
  text: string;
  /** Within {@link EXPIRY_WARNING_DAYS} of the expiry, or past it. */
  soon: boolean;
  past: boolean;
}

/** The countdown to `expiresAt`; undefined for a date that does not parse. */
export function expiryCountdown(
  expiresAt: string,
  now: number = Date.now(),
): ExpiryCountdown | undefined {
  const time = Date.parse(expiresAt);
  if (Number.isNaN(time)) {
    return undefined;
  }
  const past = time <= now;
  const when = `${countdownPhrase(time, now)} · ${formatDate(expiresAt)}`;
  return {
    text: past ? `Expired ${when}` : `Expires ${when}`,
    soon: time - now <= EXPIRY_WARNING_DAYS * DAY_MS,
    past,
  };
}

/**
 * The expiry an extension of `days` would give: the current expiry moved by
 * that many days, as the backend moves it. Undefined without a current one.
 */
export function extendedExpiry(
  expiresAt: string | undefined,
  days: number,
): string | undefined {
  const time = expiresAt ? Date.parse(expiresAt) : NaN;
  if (Number.isNaN(time) || !Number.isFinite(days)) {
    return undefined;
  }
  return new Date(time + days * DAY_MS).toISOString();
}
