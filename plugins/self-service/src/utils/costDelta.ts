import { formatMoney } from './format';

/**
 * A change's effect on the monthly cost: `$20 → $35 per month (+$15)`.
 * Approvers weigh the difference, not the new total alone.
 */
export function costDeltaText(
  previousMonthly: number,
  monthly: number,
  currency?: string,
): string {
  const delta = monthly - previousMonthly;
  // Sub-cent differences are float noise, not a change in price.
  const cents = Math.round(delta * 100);
  let difference: string;
  if (cents === 0) {
    difference = 'no change';
  } else if (cents > 0) {
    difference = `+${formatMoney(delta, currency)}`;
  } else {
    difference = `-${formatMoney(-delta, currency)}`;
  }
  return `${formatMoney(previousMonthly, currency)} → ${formatMoney(
    monthly,
    currency,
  )} per month (${difference})`;
}
