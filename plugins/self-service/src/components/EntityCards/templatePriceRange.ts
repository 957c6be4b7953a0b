import type { Entity } from '@backstage/catalog-model';

/** At most this many priced options; more and the range is not "simple". */
const MAX_VARYING = 4;

type Property = {
  type?: unknown;
  enum?: unknown;
  default?: unknown;
  minimum?: unknown;
  maximum?: unknown;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function properties(entity: Entity): Record<string, Property> | undefined {
  const raw = entity.spec?.parameters;
  const pages = Array.isArray(raw) ? raw : [raw];
  const result: Record<string, Property> = {};
  for (const page of pages) {
    if (!isRecord(page)) continue;
    // Conditional schemas change which options exist; not simple.
    if (
      page.dependencies ||
      page.oneOf ||
      page.anyOf ||
      page.allOf ||
      page.if
    ) {
      return undefined;
    }
    if (isRecord(page.properties)) {
      Object.assign(result, page.properties);
    }
  }
  return result;
}

/**
 * The cheapest and the dearest parameter sets of a simple template: each
 * option set to its first / last enum value or its minimum / maximum, other
 * options at their defaults. `undefined` when the template is not simple
 * (conditional schemas, unbounded numbers only, too many options).
 */
export function priceRangeParameters(
  entity: Entity,
): { min: Record<string, unknown>; max: Record<string, unknown> } | undefined {
  const props = properties(entity);
  if (!props) {
    return undefined;
  }
  const min: Record<string, unknown> = {};
  const max: Record<string, unknown> = {};
  let varying = 0;
  for (const [name, prop] of Object.entries(props)) {
    if (!isRecord(prop)) continue;
    if (Array.isArray(prop.enum) && prop.enum.length > 0) {
      min[name] = prop.enum[0];
      max[name] = prop.enum[prop.enum.length - 1];
      varying += prop.enum.length > 1 ? 1 : 0;
    } else if (
      (prop.type === 'integer' || prop.type === 'number') &&
      typeof prop.minimum === 'number' &&
      typeof prop.maximum === 'number'
    ) {
      min[name] = prop.minimum;
      max[name] = prop.maximum;
      varying += 1;
    } else if (prop.default !== undefined) {
      min[name] = prop.default;
      max[name] = prop.default;
    }
  }
  if (varying === 0 || varying > MAX_VARYING) {
    return undefined;
  }
  return { min, max };
}
