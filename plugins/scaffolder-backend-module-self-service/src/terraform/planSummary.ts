import { InputError } from '@backstage/errors';
import type {
  ActionInvocationSummary,
  AttributeChange,
  DeferredChange,
  PlanAction,
  PlanSummary,
  ResourceChangeSummary,
} from '@internal/plugin-self-service-common';
import {
  canonicalJson,
  TerraformActionInvocation,
  TerraformChange,
  TerraformPlanJson,
  TerraformResourceChange,
} from '@internal/plugin-self-service-node';
import { createHash, createHmac } from 'node:crypto';
import { REDACTED } from './redaction';

const MAX_DISPLAY_LENGTH = 1000;

/**
 * Key of the digest of sensitive values. The digest only has to be the same
 * at plan and at apply time, in any backend, so it is fixed; it is a keyed
 * digest rather than a bare sha256 so a digest from this plugin cannot be
 * matched against other sha256 listings.
 */
const SENSITIVE_DIGEST_KEY = 'backstage-self-service/plan-sensitive-values/v1';

/** Maps Terraform's action lists to the summary's single action. */
export function toPlanAction(
  actions: string[],
  importing?: boolean,
): PlanAction {
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
    case 'forget':
      return actions[0];
    case 'no-op':
      // "Plan: 1 to import": the import is the change.
      return importing ? 'import' : 'no-op';
    default:
      return importing ? 'import' : 'no-op';
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

/**
 * A copy of `value` with every part its sensitivity mirror marks replaced by
 * "(sensitive)", whatever its type or length.
 */
export function maskSensitive(value: unknown, mirror: unknown): unknown {
  if (mirror === true) return value === undefined ? undefined : REDACTED;
  if (!isContainer(value) || !isContainer(mirror)) return value;
  if (Array.isArray(value))
    return value.map((v, i) => maskSensitive(v, at(mirror, i)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = maskSensitive(v, at(mirror, k));
  return out;
}

/** Every [path, value] that the mirror marks sensitive, for the digest. */
function sensitiveLeaves(
  value: unknown,
  mirror: unknown,
  path: string,
  out: Array<[string, unknown]>,
): void {
  if (mirror === true) {
    if (value !== undefined) out.push([path, value ?? null]);
    return;
  }
  if (!isContainer(mirror) || !isContainer(value)) return;
  for (const key of Object.keys(mirror)) {
    const k = Array.isArray(mirror) ? Number(key) : key;
    sensitiveLeaves(
      (value as any)[k],
      (mirror as any)[k],
      childPath(path, k),
      out,
    );
  }
}

/**
 * A keyed digest of the sensitive values a change sets, so the plan hash
 * changes when only a sensitive value does, without the value being stored.
 * Undefined when the change sets none.
 */
export function sensitiveDigest(
  after: unknown,
  afterSensitive: unknown,
): string | undefined {
  const leaves: Array<[string, unknown]> = [];
  sensitiveLeaves(after, afterSensitive, '', leaves);
  if (leaves.length === 0) return undefined;
  return `hmac-sha256:${createHmac('sha256', SENSITIVE_DIGEST_KEY)
    .update(canonicalJson(leaves))
    .digest('hex')}`;
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
    let shownBefore: unknown;
    if (before !== undefined && before !== null) {
      // The old value may hold sensitive parts (an object with a sensitive
      // attribute): mask them, whatever their type.
      shownBefore = sensitive
        ? REDACTED
        : display(maskSensitive(before, beforeSensitive));
    }
    w.out.push({
      path,
      ...(shownBefore !== undefined ? { before: shownBefore } : {}),
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
  if (
    action === 'no-op' ||
    action === 'read' ||
    action === 'import' ||
    action === 'forget'
  )
    return [];
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

function importOf(change: TerraformChange): { importId?: string } | undefined {
  const importing = change.importing;
  if (importing === undefined || importing === null || importing === false)
    return undefined;
  const id = isContainer(importing) ? (importing as any).id : undefined;
  return typeof id === 'string' ? { importId: id } : {};
}

export function summarizeResourceChange(
  rc: TerraformResourceChange,
): ResourceChangeSummary {
  const imported = importOf(rc.change);
  const action = toPlanAction(rc.change.actions, imported !== undefined);
  return {
    address: rc.deposed ? `${rc.address} (deposed ${rc.deposed})` : rc.address,
    type: rc.type,
    name: rc.name,
    ...(rc.module_address ? { moduleAddress: rc.module_address } : {}),
    mode: rc.mode === 'data' ? 'data' : 'managed',
    action,
    ...(rc.action_reason ? { reason: rc.action_reason } : {}),
    ...(rc.previous_address && rc.previous_address !== rc.address
      ? { previousAddress: rc.previous_address }
      : {}),
    ...(imported ? { importing: true, ...imported } : {}),
    changes: attributeChanges(rc.change, action),
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkResourceChange(rc: unknown, where: string): void {
  if (!isContainer(rc) || Array.isArray(rc))
    throw new InputError(`${where} must be an object, got ${describe(rc)}`);
  const entry = rc as Record<string, unknown>;
  const named =
    typeof entry.address === 'string' ? `${where} (${entry.address})` : where;
  if (typeof entry.address !== 'string')
    throw new InputError(`${where} has no address`);
  if (!isContainer(entry.change) || Array.isArray(entry.change))
    throw new InputError(
      `${named} has no change object (got ${describe(entry.change)})`,
    );
  const actions = (entry.change as Record<string, unknown>).actions;
  if (!Array.isArray(actions) || actions.some(a => typeof a !== 'string'))
    throw new InputError(
      `${named}: change.actions must be a list of strings, got ${describe(actions)}`,
    );
}

function listOf(plan: Record<string, unknown>, field: string): unknown[] {
  const value = plan[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new InputError(
      `not a valid Terraform plan: ${field} must be a list, got ${describe(value)}`,
    );
  return value;
}

/**
 * Checks that `plan` is the `show -json` of a saved plan, in the parts the
 * summary reads, and says clearly what is wrong otherwise (a state's
 * `show -json`, a field of the wrong type, an entry without its change).
 */
export function validatePlanJson(
  plan: unknown,
): asserts plan is TerraformPlanJson {
  if (!isContainer(plan) || Array.isArray(plan)) {
    throw new InputError(
      `not a Terraform plan: expected the object \`terraform show -json PLANFILE\` prints, got ${describe(plan)}`,
    );
  }
  const p = plan as Record<string, unknown>;
  if (typeof p.format_version !== 'string')
    throw new InputError('not a Terraform plan: format_version is missing');
  const planFields = [
    'planned_values',
    'resource_changes',
    'output_changes',
    'prior_state',
    'configuration',
    'resource_drift',
    'deferred_changes',
  ];
  if ('values' in p && !planFields.some(f => f in p)) {
    throw new InputError(
      'not a Terraform plan: this is the `show -json` output of a state (it has `values` and no `planned_values` or `resource_changes`); show the saved plan file instead',
    );
  }
  listOf(p, 'resource_changes').forEach((rc, i) =>
    checkResourceChange(rc, `resource_changes[${i}]`),
  );
  listOf(p, 'resource_drift').forEach((rc, i) =>
    checkResourceChange(rc, `resource_drift[${i}]`),
  );
  listOf(p, 'deferred_changes').forEach((d, i) => {
    if (!isContainer(d) || Array.isArray(d))
      throw new InputError(
        `deferred_changes[${i}] must be an object, got ${describe(d)}`,
      );
    checkResourceChange(
      (d as Record<string, unknown>).resource_change,
      `deferred_changes[${i}].resource_change`,
    );
  });
  listOf(p, 'action_invocations').forEach((a, i) => {
    if (
      !isContainer(a) ||
      Array.isArray(a) ||
      typeof (a as any).address !== 'string'
    )
      throw new InputError(
        `action_invocations[${i}] must be an object with an address`,
      );
  });
  if (
    p.output_changes !== undefined &&
    p.output_changes !== null &&
    (!isContainer(p.output_changes) || Array.isArray(p.output_changes))
  ) {
    throw new InputError(
      `not a valid Terraform plan: output_changes must be an object, got ${describe(p.output_changes)}`,
    );
  }
}

/** Redacts a summary part, keeping its digest as computed. */
export interface SummaryRedactor {
  redactValue<T>(value: T, options?: { wholeValues?: boolean }): T;
}

const WHOLE = { wholeValues: true };

/**
 * Attribute changes through the redactor: their values whole (a value equal
 * to a sensitive one, however short, a number included, becomes
 * "(sensitive)"), their paths as text.
 */
function redactChanges(
  changes: AttributeChange[],
  redactor: SummaryRedactor,
): AttributeChange[] {
  return changes.map(change => {
    const { before, after, ...rest } = change;
    const out: AttributeChange = redactor.redactValue(rest);
    if ('before' in change) out.before = redactor.redactValue(before, WHOLE);
    if ('after' in change) out.after = redactor.redactValue(after, WHOLE);
    return out;
  });
}

/**
 * A resource summary through the redactor; its action and mode (enums) and
 * its digest (no value in it) as they are.
 */
function redactResource(
  resource: ResourceChangeSummary,
  redactor: SummaryRedactor | undefined,
): ResourceChangeSummary {
  if (!redactor) return resource;
  const { action, mode, changes, sensitiveDigest: digest, ...rest } = resource;
  return {
    ...redactor.redactValue(rest),
    action,
    mode,
    changes: redactChanges(changes, redactor),
    ...(digest ? { sensitiveDigest: digest } : {}),
  };
}

function redactInvocation(
  invocation: ActionInvocationSummary,
  redactor: SummaryRedactor | undefined,
): ActionInvocationSummary {
  if (!redactor) return invocation;
  const { config, sensitiveDigest: digest, ...rest } = invocation;
  return {
    ...redactor.redactValue(rest),
    config: redactChanges(config, redactor),
    ...(digest ? { sensitiveDigest: digest } : {}),
  };
}

function summarizeActionInvocation(
  a: TerraformActionInvocation,
): ActionInvocationSummary {
  const w: Walk = { out: [], replacePaths: [], onlyChanged: false };
  walk(
    w,
    '',
    undefined,
    a.config_values ?? undefined,
    a.config_unknown,
    undefined,
    a.config_sensitive,
  );
  const trigger = a.lifecycle_action_trigger;
  const digest = sensitiveDigest(a.config_values, a.config_sensitive);
  let event: string | undefined;
  if (typeof trigger?.action_trigger_event === 'string')
    event = trigger.action_trigger_event;
  else if (a.invoke_action_trigger || (a as any).invoke_cmd_action_trigger)
    event = 'Invoke';
  return {
    address: a.address,
    type: typeof a.type === 'string' ? a.type : 'unknown',
    ...(typeof trigger?.triggering_resource_address === 'string'
      ? { triggeredBy: trigger.triggering_resource_address }
      : {}),
    ...(event ? { event } : {}),
    config: w.out,
    ...(digest ? { sensitiveDigest: digest } : {}),
  };
}

/** Total of every kind of change a plan makes (what "Plan: …" counts). */
export function planHasChanges(summary: PlanSummary): boolean {
  const c = summary.counts;
  return (
    c.create +
      c.update +
      c.delete +
      c.replace +
      (c.import ?? 0) +
      (c.forget ?? 0) >
      0 ||
    summary.resources.some(r => r.previousAddress !== undefined) ||
    (summary.actionInvocations?.length ?? 0) > 0 ||
    (summary.deferred?.length ?? 0) > 0
  );
}

/** "1 to import, 2 to create, …" as Terraform counts; the warnings too. */
export function describePlanCounts(summary: PlanSummary): string {
  const c = summary.counts;
  const parts = [
    ...(c.import ? [`${c.import} to import`] : []),
    `${c.create} to create`,
    `${c.update} to update`,
    `${c.replace} to replace`,
    `${c.delete} to delete`,
    ...(c.forget ? [`${c.forget} to forget`] : []),
  ];
  const moved = summary.resources.filter(r => r.previousAddress).length;
  if (moved) parts.push(`${moved} moved`);
  if (summary.actionInvocations?.length)
    parts.push(`${summary.actionInvocations.length} action(s) to invoke`);
  let text = parts.join(', ');
  if (summary.complete === false)
    text += `; INCOMPLETE: ${summary.deferred?.length ?? 0} change(s) deferred to a later plan`;
  return text;
}

/**
 * Summarises a plan (`terraform show -json`) for approvers: one entry per
 * resource instance (modules, count and for_each addresses, data sources)
 * with its action (imports and moves included) and attribute changes, the
 * counts, the drift Terraform detected outside of it, the changes it
 * deferred and the provider actions it invokes. Every value under a
 * sensitive path is replaced by "(sensitive)"; what a change sets there is
 * kept only as a keyed digest, for the plan hash. With a redactor, every
 * part also passes it (a sensitive variable's value may reach an attribute
 * Terraform does not mark sensitive), digests excepted.
 */
export function summarizePlan(
  input: TerraformPlanJson,
  options: { redactor?: SummaryRedactor } = {},
): PlanSummary {
  validatePlanJson(input);
  const plan = input;
  const { redactor } = options;
  const counts = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    import: 0,
    forget: 0,
  };
  const resources = (plan.resource_changes ?? []).map(rc => {
    const summary = summarizeResourceChange(rc);
    if (summary.mode === 'managed') {
      if (summary.importing) counts.import += 1;
      if (summary.action !== 'import' && summary.action in counts) {
        counts[summary.action as keyof typeof counts] += 1;
      }
    }
    const digest =
      summary.action === 'delete'
        ? undefined
        : sensitiveDigest(rc.change.after, rc.change.after_sensitive);
    if (digest) summary.sensitiveDigest = digest;
    return redactResource(summary, redactor);
  });
  const deferredChanges = plan.deferred_changes ?? [];
  const deferred: DeferredChange[] = deferredChanges.map(d => {
    const rc = d.resource_change;
    const entry: DeferredChange = {
      address: rc.address,
      action: toPlanAction(
        rc.change.actions,
        importOf(rc.change) !== undefined,
      ),
      reason: typeof d.reason === 'string' ? d.reason : 'unknown',
    };
    return redactor
      ? { ...redactor.redactValue(entry), action: entry.action }
      : entry;
  });
  const invocations: ActionInvocationSummary[] = (
    plan.action_invocations ?? []
  ).map(a => redactInvocation(summarizeActionInvocation(a), redactor));
  const drift = (plan.resource_drift ?? []).map(rc =>
    redactResource(summarizeResourceChange(rc), redactor),
  );
  const complete = plan.complete !== false && deferred.length === 0;
  const version = plan.terraform_version
    ? (redactor?.redactValue(plan.terraform_version) ?? plan.terraform_version)
    : undefined;
  const { import: imports, forget, ...changes } = counts;
  return {
    ...(version ? { terraformVersion: version } : {}),
    // import and forget only when the plan has them, as Terraform counts them
    counts: {
      ...changes,
      ...(imports ? { import: imports } : {}),
      ...(forget ? { forget } : {}),
    },
    resources,
    drift,
    ...(complete ? {} : { complete: false }),
    ...(deferred.length ? { deferred } : {}),
    ...(invocations.length ? { actionInvocations: invocations } : {}),
  };
}

/**
 * Every value the plan marks sensitive (sensitive root variables, resource
 * attributes, outputs, action configuration), so a redactor can keep them
 * out of logs.
 */
export function collectSensitiveValues(plan: TerraformPlanJson): unknown[] {
  validatePlanJson(plan);
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
  const deferred = (plan.deferred_changes ?? []).map(d => d.resource_change);
  for (const rc of [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? []),
    ...deferred,
  ]) {
    collect(rc.change.before, rc.change.before_sensitive);
    collect(rc.change.after, rc.change.after_sensitive);
  }
  for (const change of Object.values(plan.output_changes ?? {})) {
    collect(change.before, change.before_sensitive);
    collect(change.after, change.after_sensitive);
  }
  for (const a of plan.action_invocations ?? []) {
    collect(a.config_values, a.config_sensitive);
  }
  return found.filter(v => v !== undefined && v !== null);
}
