import type {
  AttributeChange,
  PlanAction,
  PlanSummary,
  ResourceChangeSummary,
} from '@internal/plugin-self-service-common';
import type {
  TerraformChange,
  TerraformPlanJson,
  TerraformResourceChange,
} from '@internal/plugin-self-service-node';
import { createHash } from 'node:crypto';
import { REDACTED } from './redaction';

const MAX_DISPLAY_LENGTH = 1000;

/** Maps Terraform's action lists to the summary's single action. */
export function toPlanAction(actions: string[]): PlanAction {
  if (
    actions.length === 2 &&
    actions.includes('delete') &&
    actions.includes('create')
  ) {
    return 'replace';
  }
  switch (actions[0]) {
    case 'create':
    case 'update':
    case 'delete':
    case 'read':
    case 'no-op':
      return actions[0];
    default:
      // e.g. "forget" (removed from state, not destroyed): changes nothing real.
      return 'no-op';
  }
}

const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object';
}

function at(mirror: unknown, key: string | number): unknown {
  if (mirror === true) return true;
  return isContainer(mirror) ? (mirror as any)[key] : undefined;
}

/** Long values are shortened for display; the digest keeps the change visible to the plan hash. */
function display(value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= MAX_DISPLAY_LENGTH)
    return value;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 16);
  return `${value.slice(0, MAX_DISPLAY_LENGTH)}... (${value.length} characters, sha256 ${digest})`;
}

interface Walk {
  out: AttributeChange[];
  replacePaths: string[];
  onlyChanged: boolean;
}

function forcesReplacement(path: string, replacePaths: string[]): boolean {
  return replacePaths.some(
    p => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`),
  );
}

function walk(
  w: Walk,
  path: string,
  before: unknown,
  after: unknown,
  unknown: unknown,
  beforeSensitive: unknown,
  afterSensitive: unknown,
): void {
  const sensitive = beforeSensitive === true || afterSensitive === true;
  if (unknown === true) {
    w.out.push({
      path,
      before:
        sensitive && before !== undefined
          ? REDACTED
          : display(before ?? undefined),
      afterUnknown: true,
      ...(sensitive ? { sensitive: true } : {}),
      ...(forcesReplacement(path, w.replacePaths)
        ? { forcesReplacement: true }
        : {}),
    });
    return;
  }
  if (isContainer(before) || isContainer(after) || isContainer(unknown)) {
    if (sensitive) {
      if (w.onlyChanged && JSON.stringify(before) === JSON.stringify(after))
        return;
      w.out.push(leaf(w, path, before, after, true));
      return;
    }
    const keys = new Set<string | number>();
    for (const side of [before, after, unknown]) {
      if (Array.isArray(side)) side.forEach((_, i) => keys.add(i));
      else if (isContainer(side)) Object.keys(side).forEach(k => keys.add(k));
    }
    if (
      keys.size === 0 &&
      w.onlyChanged &&
      isContainer(before) &&
      isContainer(after)
    )
      return;
    for (const key of keys) {
      walk(
        w,
        childPath(path, key),
        at(before, key),
        at(after, key),
        at(unknown, key),
        at(beforeSensitive, key),
        at(afterSensitive, key),
      );
    }
    return;
  }
  if (
    (before === undefined || before === null) &&
    (after === undefined || after === null)
  )
    return;
  if (w.onlyChanged && before === after) return;
  w.out.push(leaf(w, path, before, after, sensitive));
}

function leaf(
  w: Walk,
  path: string,
  before: unknown,
  after: unknown,
  sensitive: boolean,
): AttributeChange {
  const shown = (v: unknown) => {
    if (v === undefined) return undefined;
    return sensitive ? REDACTED : display(v);
  };
  const change: AttributeChange = { path };
  if (before !== undefined) change.before = shown(before);
  if (after !== undefined) change.after = shown(after);
  if (sensitive) change.sensitive = true;
  if (forcesReplacement(path, w.replacePaths)) change.forcesReplacement = true;
  return change;
}

function replacePathStrings(change: TerraformChange): string[] {
  return (change.replace_paths ?? []).map(p =>
    p.reduce<string>((acc, key) => childPath(acc, key), ''),
  );
}

/** The attribute changes of one resource change, sensitive values redacted. */
export function attributeChanges(
  change: TerraformChange,
  action: PlanAction,
): AttributeChange[] {
  if (action === 'no-op' || action === 'read') return [];
  const w: Walk = {
    out: [],
    replacePaths: replacePathStrings(change),
    onlyChanged: action === 'update' || action === 'replace',
  };
  const before = action === 'create' ? undefined : (change.before ?? undefined);
  const after = action === 'delete' ? undefined : (change.after ?? undefined);
  walk(
    w,
    '',
    before,
    after,
    change.after_unknown,
    change.before_sensitive,
    change.after_sensitive,
  );
  return w.out;
}

export function summarizeResourceChange(
  rc: TerraformResourceChange,
): ResourceChangeSummary {
  const action = toPlanAction(rc.change.actions);
  return {
    address: rc.deposed ? `${rc.address} (deposed ${rc.deposed})` : rc.address,
    type: rc.type,
    name: rc.name,
    ...(rc.module_address ? { moduleAddress: rc.module_address } : {}),
    mode: rc.mode === 'data' ? 'data' : 'managed',
    action,
    ...(rc.action_reason ? { reason: rc.action_reason } : {}),
    changes: attributeChanges(rc.change, action),
  };
}

/**
 * Summarises a plan (`terraform show -json`) for approvers: one entry per
 * resource instance (modules, count and for_each addresses, data sources)
 * with its action and attribute changes, the counts, and the drift Terraform
 * detected outside of it. Sensitive values are replaced by "(sensitive)".
 */
export function summarizePlan(plan: TerraformPlanJson): PlanSummary {
  if (
    !plan ||
    typeof plan !== 'object' ||
    typeof plan.format_version !== 'string'
  ) {
    throw new Error('not a Terraform plan: format_version is missing');
  }
  const counts = { create: 0, update: 0, delete: 0, replace: 0 };
  const resources = (plan.resource_changes ?? []).map(rc => {
    const summary = summarizeResourceChange(rc);
    if (summary.mode === 'managed' && summary.action in counts) {
      counts[summary.action as keyof typeof counts] += 1;
    }
    return summary;
  });
  return {
    ...(plan.terraform_version
      ? { terraformVersion: plan.terraform_version }
      : {}),
    counts,
    resources,
    drift: (plan.resource_drift ?? []).map(summarizeResourceChange),
  };
}

/**
 * Every value the plan marks sensitive (sensitive root variables, resource
 * attributes, outputs), so a redactor can keep them out of logs.
 */
export function collectSensitiveValues(plan: TerraformPlanJson): unknown[] {
  const found: unknown[] = [];
  const collect = (value: unknown, mirror: unknown) => {
    if (mirror === true) {
      found.push(value);
    } else if (isContainer(mirror) && isContainer(value)) {
      for (const key of Object.keys(mirror))
        collect((value as any)[key], (mirror as any)[key]);
    }
  };
  const rootVariables =
    (plan.configuration as any)?.root_module?.variables ?? {};
  for (const [name, declaration] of Object.entries<any>(rootVariables)) {
    if (declaration?.sensitive) found.push(plan.variables?.[name]?.value);
  }
  for (const rc of [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? []),
  ]) {
    collect(rc.change.before, rc.change.before_sensitive);
    collect(rc.change.after, rc.change.after_sensitive);
  }
  for (const change of Object.values(plan.output_changes ?? {})) {
    collect(change.before, change.before_sensitive);
    collect(change.after, change.after_sensitive);
  }
  return found.filter(v => v !== undefined && v !== null);
}
