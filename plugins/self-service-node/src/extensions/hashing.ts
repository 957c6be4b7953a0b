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
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i) out += ',';
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
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

/** What {@link planChangeSet} and {@link hashPlanSummary} read of a summary. @public */
export type PlanChangeSetInput = Pick<PlanSummary, 'resources'> &
  Partial<
    Pick<PlanSummary, 'complete' | 'deferred' | 'actionInvocations' | 'simulated'>
  >;

/**
 * The change set of a plan summary: every resource that Terraform will
 * create, update, replace, delete, import, forget or move, with its address,
 * action, previous address, import ID, the after values of its changed
 * attributes (sensitive ones already redacted, unknown ones marked) and the
 * digest of its sensitive values. No-op and read entries that neither move
 * nor import are left out: they change nothing.
 *
 * Fields a summary does not have are left out, so a summary stored before
 * they existed keeps its hash.
 * @public
 */
export function planChangeSet(summary: Pick<PlanSummary, 'resources'>) {
  return summary.resources
    .filter(
      r =>
        (r.action !== 'no-op' && r.action !== 'read') ||
        r.previousAddress !== undefined ||
        r.importing,
    )
    .map(r => ({
      address: r.address,
      action: r.action,
      ...(r.previousAddress !== undefined
        ? { previousAddress: r.previousAddress }
        : {}),
      ...(r.importing ? { importing: r.importId ?? true } : {}),
      ...(r.sensitiveDigest ? { sensitiveDigest: r.sensitiveDigest } : {}),
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
 * What the plan hash covers: the change set and, when the plan has them,
 * its completeness, its deferred changes and the provider actions it
 * invokes. A summary without any of these hashes its change set alone, as
 * before they existed.
 * @public
 */
export function planHashInput(summary: PlanChangeSetInput): unknown {
  const resources = planChangeSet(summary);
  const extra: Record<string, unknown> = {};
  if (summary.complete === false) extra.complete = false;
  // A simulated approval never lets a real apply through, nor the reverse.
  if (summary.simulated) extra.simulated = true;
  if (summary.deferred?.length) {
    extra.deferred = summary.deferred
      .map(d => ({ address: d.address, action: d.action, reason: d.reason }))
      .sort(byKey(d => `${d.address}\u0000${d.action}`));
  }
  if (summary.actionInvocations?.length) {
    extra.actionInvocations = summary.actionInvocations
      .map(a => ({
        address: a.address,
        type: a.type,
        triggeredBy: a.triggeredBy,
        event: a.event,
        config: (a.config ?? [])
          .map(c => [c.path, c.afterUnknown ? { unknown: true } : c.after])
          .sort(byKey(c => String(c[0]))),
        sensitiveDigest: a.sensitiveDigest,
      }))
      .sort(byKey(a => canonicalJson(a)));
  }
  return Object.keys(extra).length ? { resources, ...extra } : resources;
}

/**
 * The plan hash a grant is bound to: sha256 of the canonical JSON of
 * {@link planHashInput} (the plan's change set, sensitive values through
 * their digest). Computed from the summary, so the hash of an approved plan
 * can be recomputed from the summary stored on its request and compared with
 * a fresh plan at apply time.
 * @public
 */
export function hashPlanSummary(summary: PlanChangeSetInput): string {
  return sha256OfCanonicalJson(planHashInput(summary));
}

/**
 * Whether a plan hash is the hash of this summary: the one rule the request
 * record, the grant check and the apply-time comparison all apply.
 * @public
 */
export function planHashMatches(
  summary: PlanChangeSetInput,
  planHash: string,
): boolean {
  return hashPlanSummary(summary) === planHash;
}
