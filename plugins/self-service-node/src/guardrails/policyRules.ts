import { InputError } from '@backstage/errors';
import {
  Finding,
  PolicyRequirement,
  PolicyRule,
  policyRuleSchema,
} from '@internal/plugin-self-service-common';
import { Unrenderable } from './plannedValues';

/** Parses declarative rules; errors name the rule and the field. */
export function parsePolicyRules(
  rules: unknown[],
  source: string,
): PolicyRule[] {
  return rules.map((rule, index) => {
    const result = policyRuleSchema.safeParse(rule);
    if (!result.success) {
      const id = (rule as { id?: unknown })?.id;
      const problems = result.error.issues
        .map(i => `${i.path.join('.') || '(rule)'}: ${i.message}`)
        .join('; ');
      throw new InputError(
        `${source} rule ${index}${typeof id === 'string' ? ` (${id})` : ''} is invalid: ${problems}`,
      );
    }
    return result.data;
  });
}

function read(parameters: Record<string, unknown>, path: string): unknown {
  let current: unknown = parameters;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment))
      return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function same(actual: unknown, expected: unknown): boolean {
  return (
    actual !== undefined &&
    actual !== null &&
    String(actual) === String(expected)
  );
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

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Why the parameters fail the requirement, or undefined when they pass. */
function violation(
  req: PolicyRequirement,
  parameters: Record<string, unknown>,
): string | undefined {
  const name = req.parameter;
  const value = read(parameters, name);
  if (value instanceof Unrenderable) {
    return `${name} is passed to Terraform as ${value.expression}, which cannot be checked; pass the parameter itself (\${{ parameters.x }})`;
  }
  if (value === undefined || value === null) {
    return req.ifPresent ? undefined : `${name} is not set`;
  }
  if (req.equals !== undefined && !same(value, req.equals)) {
    return `${name} is ${show(value)}, must be ${show(req.equals)}`;
  }
  if (req.notEquals !== undefined && same(value, req.notEquals)) {
    return `${name} must not be ${show(req.notEquals)}`;
  }
  if (req.oneOf && !req.oneOf.some(option => same(value, option))) {
    return `${name} is ${show(value)}, must be one of ${req.oneOf.map(show).join(', ')}`;
  }
  if (req.min !== undefined || req.max !== undefined) {
    const n = numeric(value);
    if (n === undefined) return `${name} is ${show(value)}, not a number`;
    if (req.min !== undefined && n < req.min)
      return `${name} is ${n}, at least ${req.min} required`;
    if (req.max !== undefined && n > req.max)
      return `${name} is ${n}, at most ${req.max} allowed`;
  }
  if (req.matches !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(req.matches);
    } catch {
      return `the rule's pattern ${req.matches} is not a valid regular expression`;
    }
    if (!pattern.test(String(value)))
      return `${name} ${show(value)} does not match ${req.matches}`;
  }
  return undefined;
}

function applies(
  rule: PolicyRule,
  parameters: Record<string, unknown>,
): boolean {
  return Object.entries(rule.when ?? {}).every(([name, expected]) => {
    const value = read(parameters, name);
    // A condition on a value nobody can work out applies: fail safe.
    if (value instanceof Unrenderable) return true;
    const options = Array.isArray(expected) ? expected : [expected];
    return options.some(option => same(value, option));
  });
}

/**
 * Evaluates one declarative rule against the parameters. A rule with
 * `require` yields a finding when the requirement fails; one without yields
 * its finding whenever `when` matches.
 */
export function evaluatePolicyRule(
  rule: PolicyRule,
  parameters: Record<string, unknown>,
): Finding | undefined {
  if (!applies(rule, parameters)) return undefined;
  let detail: string | undefined;
  if (rule.require) {
    detail = violation(rule.require, parameters);
    if (!detail) return undefined;
  }
  const message = rule.message
    ? `${rule.message}${detail ? ` (${detail})` : ''}`
    : (detail ?? `rule ${rule.id} applies`);
  const stage =
    rule.severity === 'require-approval'
      ? (rule.stage ?? rule.approvers?.name)
      : undefined;
  return {
    code: `policy.${rule.id}`,
    severity: rule.severity,
    message,
    rule: rule.id,
    ...(stage ? { stage } : {}),
  };
}

/** Sets a dotted path, copying the objects on the way so nothing shared changes. */
function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const current = target[head];
  const child: Record<string, unknown> =
    current && typeof current === 'object' && !Array.isArray(current)
      ? { ...(current as Record<string, unknown>) }
      : {};
  setPath(child, rest.join('.'), value);
  target[head] = child;
}

/**
 * Checks a rule against what Terraform will be given: the parameters with the
 * plan step's module variables laid over them (a variable of a parameter's
 * name replaces it). A requirement naming a `variable` reads that variable
 * instead. The caller keeps this finding only when the parameters alone
 * passed, so one rule yields one finding.
 * @public
 */
export function evaluatePolicyRuleAsPlanned(
  rule: PolicyRule,
  parameters: Record<string, unknown>,
  variables: Record<string, unknown>,
): Finding | undefined {
  const view: Record<string, unknown> = { ...parameters, ...variables };
  if (rule.require?.variable) {
    // Read under the parameter's name, so the message speaks of what the
    // rule's author wrote.
    setPath(view, rule.require.parameter, read(variables, rule.require.variable));
  }
  const finding = evaluatePolicyRule(rule, view);
  return finding && { ...finding, message: `${finding.message} [as planned]` };
}
