import type { PlanSummary } from '@internal/plugin-self-service-common';
import {
  canonicalJson,
  planChangeSet,
  PlanChangeSetInput,
  planHashInput,
} from '@internal/plugin-self-service-node';

const MAX_DIFFERENCES = 25;

function show(value: unknown): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Lists how a new plan's change set differs from the approved one, one line
 * per difference (resources added or gone, actions changed, after values
 * changed), for the refusal message of an apply.
 */
export function diffPlanSummaries(
  approved: Pick<PlanSummary, 'resources'> & PlanChangeSetInput,
  current: Pick<PlanSummary, 'resources'> & PlanChangeSetInput,
): string[] {
  const before = new Map(planChangeSet(approved).map(r => [r.address, r]));
  const after = new Map(planChangeSet(current).map(r => [r.address, r]));
  const lines: string[] = [];
  for (const [address, a] of before) {
    const b = after.get(address);
    if (!b) {
      lines.push(`${address}: approved to ${a.action}, now not changed`);
      continue;
    }
    if (a.action !== b.action) {
      lines.push(`${address}: approved to ${a.action}, now ${b.action}`);
      continue;
    }
    if (a.previousAddress !== b.previousAddress) {
      lines.push(
        `${address}: approved moved from ${a.previousAddress ?? '(not moved)'}, now ${b.previousAddress ?? '(not moved)'}`,
      );
    }
    if (canonicalJson(a.importing) !== canonicalJson(b.importing)) {
      lines.push(
        `${address}: approved import ${canonicalJson(a.importing ?? null)}, now ${canonicalJson(b.importing ?? null)}`,
      );
    }
    if (a.sensitiveDigest !== b.sensitiveDigest) {
      lines.push(`${address}: sensitive values differ from the approved plan`);
    }
    const aValues = new Map(
      a.after.map(([path, v]) => [path, canonicalJson(v)]),
    );
    const bValues = new Map(
      b.after.map(([path, v]) => [path, canonicalJson(v)]),
    );
    for (const path of new Set([...aValues.keys(), ...bValues.keys()])) {
      if (aValues.get(path) !== bValues.get(path)) {
        const from = aValues.has(path)
          ? show(JSON.parse(aValues.get(path)!))
          : '(no change)';
        const to = bValues.has(path)
          ? show(JSON.parse(bValues.get(path)!))
          : '(no change)';
        lines.push(`${address}: ${path} approved ${from}, now ${to}`);
      }
    }
  }
  for (const [address, b] of after) {
    if (!before.has(address))
      lines.push(`${address}: now ${b.action}, not in the approved plan`);
  }
  // plan-level parts of the hash: completeness, deferrals, provider actions
  const extras = (s: PlanChangeSetInput) => {
    const input = planHashInput(s) as Record<string, unknown>;
    return Array.isArray(input) ? {} : { ...input, resources: undefined };
  };
  const approvedExtras = extras(approved) as Record<string, unknown>;
  const currentExtras = extras(current) as Record<string, unknown>;
  for (const key of ['complete', 'deferred', 'actionInvocations']) {
    if (
      canonicalJson(approvedExtras[key]) !== canonicalJson(currentExtras[key])
    ) {
      lines.push(`the plan's ${key} differ from the approved plan`);
    }
  }
  if (lines.length > MAX_DIFFERENCES) {
    const more = lines.length - MAX_DIFFERENCES;
    return [...lines.slice(0, MAX_DIFFERENCES), `... and ${more} more`];
  }
  return lines;
}
