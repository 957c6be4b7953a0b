import type {
  CostEstimate,
  CostLine,
} from '@internal/plugin-self-service-common';
import { priceEntry, readPath, roundMoney } from './components';
import type { PriceBook } from './priceBook';

/**
 * The price book key of a template: the entity name of its ref
 * (`template:default/postgres-database` -> `postgres-database`).
 * @public
 */
export function templateNameOf(templateRefOrName: string): string {
  const slash = templateRefOrName.lastIndexOf('/');
  const colon = templateRefOrName.indexOf(':');
  return templateRefOrName.slice(Math.max(slash, colon) + 1);
}

/**
 * Prices a template's form parameters with the price book entry for the
 * template (e.g. for the live estimate in the form). A template, or a
 * component, the book cannot price is listed in `unpriced`, never counted as
 * zero.
 * @public
 */
export function priceParameters(
  book: PriceBook,
  template: string,
  parameters: Record<string, unknown>,
): CostEstimate {
  const item = templateNameOf(template);
  const entry = Object.prototype.hasOwnProperty.call(book.templates, item)
    ? book.templates[item]
    : undefined;
  const base = { currency: book.currency, priceBookVersion: book.version };
  if (!entry) {
    return {
      ...base,
      monthlyTotal: 0,
      lines: [
        { item, monthly: null, detail: 'template not in the price book' },
      ],
      unpriced: [item],
    };
  }
  const lookup = (key: string) => readPath(parameters, key);
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  let total = 0;
  for (const price of priceEntry(entry, lookup, book)) {
    lines.push({ item, monthly: price.monthly, detail: price.detail });
    if (price.monthly === null) unpriced.push(`${item} (${price.component})`);
    else total += price.monthly;
  }
  return { ...base, monthlyTotal: roundMoney(total), lines, unpriced };
}
