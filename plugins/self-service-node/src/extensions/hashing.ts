import { createHash } from 'node:crypto';
import type { PlanSummary } from '@internal/plugin-self-service-common';

/**
 * JSON with object keys sorted at every level and no whitespace, so equal
 * values always serialise to equal strings (and hash equally) regardless of
 * key order, e.g. after a round trip through a jsonb column.
 * @public
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value);
    // JSON.stringify(undefined) is undefined; inside arrays JSON uses null.
    return json === undefined ? 'null' : json;
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.keys(value as object)
    .filter(key => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map(
      key =>
        `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
  return `{${entries.join(',')}}`;
}

/** sha256 hex digest of the canonical JSON of a value. @public */
export function sha256OfCanonicalJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The parameters hash a grant is bound to: sha256 of the canonical JSON of
 * the submitted template parameters.
 * @public
 */
export function hashParameters(parameters: Record<string, unknown>): string {
  return sha256OfCanonicalJson(parameters);
}

function byKey<T>(key: (item: T) => string) {
  return (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    return x < y ? -1 : 1;
  };
}

/**
 * The change set of a plan summary: every resource that Terraform will
 * create, update, replace or delete, with its address, action and the after
 * values of its changed attributes (sensitive ones already redacted, unknown
 * ones marked). No-op and read entries are left out: they change nothing.
 * @public
 */
export function planChangeSet(summary: Pick<PlanSummary, 'resources'>) {
  return summary.resources
    .filter(r => r.action !== 'no-op' && r.action !== 'read')
    .map(r => ({
      address: r.address,
      action: r.action,
      after: (r.changes ?? [])
        .filter(c => c.afterUnknown || c.after !== undefined)
        .map(
          c => [c.path, c.afterUnknown ? { unknown: true } : c.after] as const,
        )
        .sort(byKey(c => c[0])),
    }))
    .sort(byKey(r => r.address));
}

/**
 * The plan hash a grant is bound to: sha256 of the canonical JSON of the
 * plan's change set (see {@link planChangeSet}). Computed from the summary,
 * so the hash of an approved plan can be recomputed from the summary stored
 * on its request and compared with a fresh plan at apply time.
 * @public
 */
export function hashPlanSummary(
  summary: Pick<PlanSummary, 'resources'>,
): string {
  return sha256OfCanonicalJson(planChangeSet(summary));
}
