import type { PriceBook, PriceComponent, PriceEntry } from './priceBook';

/** A value a component reads: a parameter, or a plan attribute. */
export interface LookedUpValue {
  value?: unknown;
  /** The value is only known after apply. */
  unknown?: boolean;
  /** The value is sensitive and must not appear in a detail text. */
  sensitive?: boolean;
}

export type ValueLookup = (key: string) => LookedUpValue;

/** The price of one component; `monthly` is null when it cannot be priced. */
export interface ComponentPrice {
  component: string;
  monthly: number | null;
  detail: string;
}

export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function show(v: LookedUpValue): string {
  if (v.sensitive) return '(sensitive)';
  const text = typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === null || actual === undefined) return false;
  return String(actual) === String(expected);
}

type Applies = { applies: true } | { applies: false } | { unpriced: string };

function applies(component: PriceComponent, lookup: ValueLookup): Applies {
  for (const [key, expected] of Object.entries(component.when ?? {})) {
    const v = lookup(key);
    if (v.unknown)
      return { unpriced: `depends on ${key}, known only after apply` };
    // Absent (not null) means the value was never given: pricing the component
    // as "does not apply" would silently count it as zero.
    if (v.value === undefined)
      return { unpriced: `depends on ${key}, which is not set` };
    const options = Array.isArray(expected) ? expected : [expected];
    if (!options.some(option => sameValue(v.value, option))) {
      return { applies: false };
    }
  }
  return { applies: true };
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  return undefined;
}

function priceComponent(
  component: PriceComponent,
  lookup: ValueLookup,
  book: PriceBook,
): ComponentPrice | undefined {
  const name = component.name;
  const unpriced = (why: string) => ({
    component: name,
    monthly: null,
    detail: `${name}: ${why}`,
  });
  const when = applies(component, lookup);
  if ('unpriced' in when) return unpriced(when.unpriced);
  if (!when.applies) return undefined;

  const hourly = component.hourly !== undefined;
  const rate = component.monthly ?? component.hourly!;
  const parts: string[] = [];
  let price: number;
  if (typeof rate === 'number') {
    price = rate;
  } else {
    const key = component.by!;
    const v = lookup(key);
    if (v.unknown) return unpriced(`${key} is known only after apply`);
    if (v.value === undefined || v.value === null)
      return unpriced(`${key} is not set`);
    const tablePrice = Object.prototype.hasOwnProperty.call(
      rate,
      String(v.value),
    )
      ? rate[String(v.value)]
      : undefined;
    if (tablePrice === undefined)
      return unpriced(`no price for ${key}=${show(v)}`);
    price = tablePrice;
    parts.push(`${key}=${show(v)}`);
  }
  parts.push(`${price}/${hourly ? 'hour' : 'month'}`);
  let monthly = hourly ? price * book.hoursPerMonth : price;
  if (hourly) parts.push(`x ${book.hoursPerMonth} h`);
  if (component.per) {
    const v = lookup(component.per);
    if (v.unknown)
      return unpriced(`${component.per} is known only after apply`);
    const quantity = numeric(v.value);
    if (quantity === undefined || quantity < 0) {
      return unpriced(
        `${component.per} is not a number (${v.value === undefined ? 'not set' : show(v)})`,
      );
    }
    monthly *= quantity;
    parts.push(
      `x ${v.sensitive ? '(sensitive)' : quantity}${component.unit ? ` ${component.unit}` : ''}`,
    );
  }
  return {
    component: name,
    monthly: roundMoney(monthly),
    detail: `${name}: ${parts.join(' ')}`,
  };
}

/** Prices every applicable component of an entry. */
export function priceEntry(
  entry: PriceEntry,
  lookup: ValueLookup,
  book: PriceBook,
): ComponentPrice[] {
  if (entry.free) {
    return [{ component: 'free', monthly: 0, detail: 'free' }];
  }
  const prices: ComponentPrice[] = [];
  for (const component of entry.components ?? []) {
    const price = priceComponent(component, lookup, book);
    if (price) prices.push(price);
  }
  return prices;
}

/** Reads a dotted path (`settings.0.tier`) from an object, own properties only. */
export function readPath(
  root: unknown,
  path: string,
): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object')
      return { found: false };
    if (!Object.prototype.hasOwnProperty.call(current, segment))
      return { found: false };
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}
