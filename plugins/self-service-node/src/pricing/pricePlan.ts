import type {
  CostEstimate,
  CostLine,
} from '@internal/plugin-self-service-common';
import type {
  TerraformPlanJson,
  TerraformResourceChange,
} from '../extensions/terraformJson';
import { LookedUpValue, priceEntry, readPath, roundMoney } from './components';
import type { PriceBook } from './priceBook';

/** True when a Terraform mirror object (after_unknown, after_sensitive) marks the path. */
function marked(mirror: unknown, path: string): boolean {
  let current = mirror;
  for (const segment of path.split('.')) {
    if (current === true) return true;
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return current === true;
}

function lookupIn(
  values: unknown,
  unknownMirror: unknown,
  sensitiveMirror: unknown,
) {
  return (key: string): LookedUpValue => {
    if (marked(unknownMirror, key)) return { unknown: true };
    const { value } = readPath(values, key);
    return { value, sensitive: marked(sensitiveMirror, key) };
  };
}

function sum(prices: Array<{ monthly: number | null }>): number {
  return prices.reduce((total, p) => total + (p.monthly ?? 0), 0);
}

/**
 * Prices the resources of a Terraform plan (`terraform show -json`) with the
 * price book's `resources` entries, keyed by resource type and reading the
 * planned attribute values. `monthlyTotal` is what the priced resources cost
 * per month after the apply; `deltaMonthly` the change against their prior
 * state. Resource types the book does not list, and values known only after
 * apply, are listed in `unpriced` and never counted as zero. Data sources are
 * reads and are not priced.
 * @public
 */
export function pricePlan(
  book: PriceBook,
  plan: TerraformPlanJson,
): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  let total = 0;
  let before = 0;
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || rc.deposed) continue;
    const actions = rc.change.actions;
    const deleting = actions.length === 1 && actions[0] === 'delete';
    const creating = actions.length === 1 && actions[0] === 'create';
    const entry = Object.prototype.hasOwnProperty.call(book.resources, rc.type)
      ? book.resources[rc.type]
      : undefined;
    if (!entry) {
      if (!deleting) {
        lines.push(
          unpricedLine(rc, `resource type ${rc.type} is not in the price book`),
        );
        unpriced.push(rc.address);
      }
      continue;
    }
    if (!creating) {
      const c = rc.change;
      before += sum(
        priceEntry(
          entry,
          lookupIn(c.before, undefined, c.before_sensitive),
          book,
        ),
      );
    }
    if (deleting) {
      lines.push({
        item: rc.address,
        resourceType: rc.type,
        monthly: 0,
        detail: 'deleted',
      });
      continue;
    }
    const c = rc.change;
    for (const price of priceEntry(
      entry,
      lookupIn(c.after, c.after_unknown, c.after_sensitive),
      book,
    )) {
      lines.push({
        item: rc.address,
        resourceType: rc.type,
        monthly: price.monthly,
        detail: price.detail,
      });
      if (price.monthly === null)
        unpriced.push(`${rc.address} (${price.component})`);
      else total += price.monthly;
    }
  }
  return {
    currency: book.currency,
    priceBookVersion: book.version,
    monthlyTotal: roundMoney(total),
    deltaMonthly: roundMoney(total - before),
    lines,
    unpriced,
  };
}

function unpricedLine(rc: TerraformResourceChange, detail: string): CostLine {
  return { item: rc.address, resourceType: rc.type, monthly: null, detail };
}
