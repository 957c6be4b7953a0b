/**
 * Amounts of money as every part of the product writes them: whole amounts
 * without cents ("$1,000"), others to the cent ("$412.50"), in English
 * because they sit inside English sentences. An unknown currency code never
 * breaks a message.
 * @public
 */
export function formatMoney(amount: number, currency = 'USD'): string {
  const cents = Math.round(amount * 100);
  const digits = cents % 100 === 0 ? 0 : 2;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}
