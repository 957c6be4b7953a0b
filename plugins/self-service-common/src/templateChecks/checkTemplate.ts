/**
 * Static checks of a Template's use of the self-service actions. The catalog
 * refuses templates that fail them, `self-service:request` refuses to record
 * a request for them, and `self-service-lint` reports them in a platform
 * team's CI, because each mistake would let something run that was never
 * checked or approved.
 */
import {
  CALLER_ROOTS,
  canonical,
  canonicalPath,
  reads,
  singleExpression,
  stepsRead,
  templated,
} from './expressions';

/**
 * Every problem code `checkTemplate` reports, one per rule.
 * @public
 */
export const TEMPLATE_PROBLEM_CODES = [
  'if-on-control-step',
  'each-on-gated-step',
  'step-id-missing',
  'duplicate-step',
  'request-missing',
  'guardrails-missing',
  'plan-missing',
  'plan-before-guardrails',
  'plan-after-request',
  'apply-before-request',
  'apply-if-not-gated',
  'apply-if-caller-controlled',
  'step-after-apply-unconditional',
  'secret-parameter-on-gated-template',
  'guardrails-input-not-wired',
  'guardrails-input-not-literal',
  'guardrails-input-caller-controlled',
  'plan-input-not-wired',
  'plan-input-reads-secrets',
  'plan-variable-bypasses-rule',
  'request-input-not-wired',
  'request-input-not-literal',
  'apply-input-not-wired',
  'apply-other-module',
] as const;

/** @public */
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEM_CODES)[number];

/** @public */
export interface TemplateProblem {
  code: TemplateProblemCode;
  /** The step the problem is in; absent for a template-wide problem. */
  stepId?: string;
  message: string;
}

/** The parts of a v1beta3 Template step the checks read. @public */
export interface TemplateStepLike {
  id?: string;
  name?: string;
  action?: string;
  if?: unknown;
  each?: unknown;
  input?: Record<string, unknown>;
}

/** The parts of a v1beta3 Template spec the checks read. @public */
export interface TemplateSpecLike {
  parameters?: unknown;
  steps?: TemplateStepLike[];
}

const GUARDRAILS = 'self-service:guardrails';
const PLAN = 'terraform:plan';
const REQUEST = 'self-service:request';
const APPLY = 'terraform:apply';
const DESTROY = 'terraform:destroy';
const APPLY_ACTIONS = [APPLY, DESTROY];
/** The actions that make a template ours to check. */
const GATED_ACTIONS = [REQUEST, APPLY, DESTROY];
/** The actions whose step must run once per task, unconditionally or gated. */
const ONCE_ACTIONS = [GUARDRAILS, PLAN, REQUEST, APPLY, DESTROY];
/** The steps that must always run: the checks and their record. */
const CONTROL_ACTIONS = [GUARDRAILS, PLAN, REQUEST];
/** terraform:* actions run in this directory when none is given. */
const DEFAULT_WORKING_DIRECTORY = 'terraform';

interface Step extends TemplateStepLike {
  /** Position in `spec.steps`. */
  index: number;
  /** How messages name the step: its id, or its position. */
  label: string;
}

function parameterPages(parameters: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(parameters))
    return parameters.filter(p => p && typeof p === 'object') as Array<
      Record<string, unknown>
    >;
  if (parameters && typeof parameters === 'object')
    return [parameters as Record<string, unknown>];
  return [];
}

/** Names of parameters that the scaffolder treats as secrets. */
function secretParameters(parameters: unknown): string[] {
  const names: string[] = [];
  for (const page of parameterPages(parameters)) {
    const props = (page.properties ?? {}) as Record<
      string,
      Record<string, unknown>
    >;
    for (const [name, schema] of Object.entries(props)) {
      if (
        schema?.['ui:field'] === 'Secret' ||
        schema?.['ui:widget'] === 'password' ||
        schema?.format === 'password'
      ) {
        names.push(name);
      }
    }
  }
  return names;
}

/**
 * An `if:` on an apply step is safe only when it reads nothing but the request
 * step's output (which the backend decided), never `parameters` or `secrets`
 * the caller sends.
 */
function callerControlled(
  condition: unknown,
  requestStepIds: string[],
): boolean {
  if (condition === undefined || condition === true) return false;
  if (typeof condition !== 'string') return true;
  const text = canonical(condition);
  if (/\b(parameters|secrets|user)\b/.test(text)) return true;
  const stepIds = stepsRead(text);
  // A condition that reads no step at all (a constant expression) gates nothing.
  return (
    stepIds.length === 0 || stepIds.some(id => !requestStepIds.includes(id))
  );
}

/**
 * Why an apply or destroy `if:` does not require `steps.<request>.output.<gate>`,
 * or undefined when it does. Further conditions may only be joined with `and`:
 * `or`, `not` and the like could make the step run without the gate.
 */
function ungatedBecause(
  condition: unknown,
  requestId: string,
  gate: string,
): string | undefined {
  const wanted = `steps.${requestId}.output.${gate}`;
  if (condition === undefined) return `it has no 'if:'`;
  const expression = singleExpression(condition);
  if (expression === undefined) {
    return `its 'if:' (${JSON.stringify(condition)}) is not one \${{ … }} expression`;
  }
  if (/\b(or|not|if|else)\b|\|\||!(?!=)|\?/.test(expression)) {
    return `its 'if:' may only add conditions with 'and' (found ${JSON.stringify(expression)})`;
  }
  const terms = expression.split(/\s+and\s+|\s*&&\s*/).map(t => t.trim());
  const gated = terms.some(
    t =>
      t === wanted || t === `${wanted} == true` || t === `${wanted} === true`,
  );
  return gated ? undefined : `its 'if:' does not require ${wanted}`;
}

const expr = (text: string) => `\${{ ${text} }}`;

/** The canonical expression of a wired input, or the literal as JSON. */
function shown(value: unknown): string {
  if (value === undefined) return 'absent';
  const expression = singleExpression(value);
  return expression !== undefined ? expr(expression) : JSON.stringify(value);
}

/** True when two input values are the same expression or the same literal. */
function same(a: unknown, b: unknown): boolean {
  const ea = singleExpression(a);
  const eb = singleExpression(b);
  if (ea !== undefined || eb !== undefined) return ea === eb;
  return JSON.stringify(a) === JSON.stringify(b);
}

function inputOf(step: Step): Record<string, unknown> {
  const input = step.input;
  return input && typeof input === 'object' && !Array.isArray(input)
    ? input
    : {};
}

/** The guardrails step's literal rules, as far as the checks read them. */
function literalRules(
  rules: unknown,
): Array<{ id: string; require: { parameter?: unknown; variable?: unknown } }> {
  if (!Array.isArray(rules)) return [];
  return rules.flatMap(rule =>
    rule &&
    typeof rule === 'object' &&
    rule.require &&
    typeof rule.require === 'object'
      ? [{ id: String(rule.id ?? '?'), require: rule.require }]
      : [],
  );
}

/** Returns every problem found; an empty list means the template is safe. @public */
export function checkTemplate(spec: TemplateSpecLike): TemplateProblem[] {
  const raw = Array.isArray(spec?.steps) ? spec.steps : [];
  const steps: Step[] = raw.flatMap((s, index) =>
    s && typeof s === 'object'
      ? [
          {
            ...s,
            index,
            label: typeof s.id === 'string' && s.id ? s.id : `steps[${index}]`,
          },
        ]
      : [],
  );
  if (!steps.some(s => GATED_ACTIONS.includes(s.action ?? ''))) return [];

  const problems: TemplateProblem[] = [];
  const report = (
    code: TemplateProblemCode,
    step: Step | undefined,
    rule: string,
  ) =>
    problems.push({
      code,
      stepId: step?.label,
      message: step ? `Step '${step.label}' (${step.action}): ${rule}` : rule,
    });
  const ofAction = (action: string) => steps.filter(s => s.action === action);

  // One step of each, run once, never skipped.
  for (const step of steps) {
    if (CONTROL_ACTIONS.includes(step.action ?? '') && step.if !== undefined) {
      report(
        'if-on-control-step',
        step,
        `has an 'if:' (${JSON.stringify(step.if)}); the guardrails, plan and request steps must always run, or a condition could skip the checks and the record`,
      );
    }
    if (ONCE_ACTIONS.includes(step.action ?? '') && step.each !== undefined) {
      report(
        'each-on-gated-step',
        step,
        `has an 'each:'; this step must run exactly once per task, so that one set of guardrails, one plan and one request gate one apply`,
      );
    }
    if (
      CONTROL_ACTIONS.includes(step.action ?? '') &&
      !(typeof step.id === 'string' && step.id)
    ) {
      report(
        'step-id-missing',
        step,
        `has no 'id:'; later steps must read its outputs as steps.<id>.output`,
      );
    }
  }
  for (const action of ONCE_ACTIONS) {
    for (const extra of ofAction(action).slice(1)) {
      report(
        'duplicate-step',
        extra,
        `is the second ${action} step (the first is '${ofAction(action)[0].label}'); a template has at most one, so that what was checked, planned, recorded and applied is one and the same`,
      );
    }
  }

  const request = ofAction(REQUEST)[0];
  const guardrails = ofAction(GUARDRAILS)[0];
  const plan = ofAction(PLAN)[0];
  const applies = steps.filter(s => APPLY_ACTIONS.includes(s.action ?? ''));

  // Order: guardrails, then plan, then request, then apply / destroy.
  if (!request) {
    report(
      'request-missing',
      applies[0],
      `runs without any ${REQUEST} step; nothing records the request or decides whether it may run`,
    );
  }
  if (request && (!guardrails || guardrails.index > request.index)) {
    report(
      'guardrails-missing',
      request,
      `has no ${GUARDRAILS} step before it; quotas, budget and policy rules would never be checked`,
    );
  }
  if (request && (!plan || plan.index > request.index)) {
    report(
      'plan-missing',
      request,
      `has no ${PLAN} step before it; approvers would decide without the plan and its cost, and nothing binds the apply to them`,
    );
  }
  if (guardrails && plan && plan.index < guardrails.index) {
    report(
      'plan-before-guardrails',
      plan,
      `runs before the ${GUARDRAILS} step '${guardrails.label}'; it must plan with the tags and state key the guardrails computed`,
    );
  }
  if (request) {
    for (const late of ofAction(PLAN).filter(s => s.index > request.index)) {
      report(
        'plan-after-request',
        late,
        `runs after the ${REQUEST} step '${request.label}'; a plan made after the request was recorded was never shown to the approvers`,
      );
    }
  }

  const requestId =
    request && typeof request.id === 'string' && request.id
      ? request.id
      : undefined;
  const guardrailsId = guardrails?.id || undefined;
  const planId = plan?.id || undefined;

  for (const step of applies) {
    if (request && step.index < request.index) {
      report(
        'apply-before-request',
        step,
        `runs before the ${REQUEST} step '${request.label}' records and gates the request`,
      );
    }
    if (requestId) {
      const gate = step.action === APPLY ? 'approved' : 'destroy';
      const because = ungatedBecause(step.if, requestId, gate);
      if (because) {
        report(
          'apply-if-not-gated',
          step,
          `must run only when the request allows it, under 'if: ${expr(`steps.${requestId}.output.${gate}`)}', but ${because}`,
        );
      }
    }
    if (callerControlled(step.if, requestId ? [requestId] : [])) {
      report(
        'apply-if-caller-controlled',
        step,
        `runs under an 'if:' that reads input the caller controls (${String(step.if)}); it may only read the ${REQUEST} step's output`,
      );
    }
  }

  if (applies.length > 0) {
    const lastApply = applies[applies.length - 1];
    for (const step of steps.slice(steps.findIndex(s => s === lastApply) + 1)) {
      const guarded =
        typeof step.if === 'string' &&
        lastApply.id !== undefined &&
        canonical(step.if).includes(`steps.${lastApply.id}.output`);
      if (!guarded) {
        report(
          'step-after-apply-unconditional',
          step,
          `comes after ${lastApply.action} and would also run when the apply did not (pending approval or skipped); guard it with an 'if:' on steps.${lastApply.id ?? '<apply>'}.output`,
        );
      }
    }
  }

  for (const name of secretParameters(spec.parameters)) {
    report(
      'secret-parameter-on-gated-template',
      undefined,
      `Parameter '${name}' is a secret, but this template can wait for approval and secrets are not kept until then; let Terraform generate it or read it from a secret store`,
    );
  }

  // The guardrails step checks what the requester submitted, with the
  // controls as the catalog holds them.
  const guardrailsInput = guardrails ? inputOf(guardrails) : {};
  if (guardrails) {
    if (singleExpression(guardrailsInput.parameters) !== 'parameters') {
      report(
        'guardrails-input-not-wired',
        guardrails,
        `input parameters must be ${expr('parameters')} (is ${shown(guardrailsInput.parameters)}); the rules must check every submitted parameter`,
      );
    }
    for (const key of [
      'rules',
      'stages',
      'costCeiling',
      'financeThreshold',
      'ttlDays',
      'template',
    ]) {
      if (templated(guardrailsInput[key])) {
        report(
          'guardrails-input-not-literal',
          guardrails,
          `input ${key} is computed from a template expression; the backend reads this control from the template as the catalog holds it, so write it out as a literal`,
        );
      }
    }
    if (reads(guardrailsInput.monthlyCost, CALLER_ROOTS)) {
      report(
        'guardrails-input-caller-controlled',
        guardrails,
        `input monthlyCost reads input the caller controls (${shown(guardrailsInput.monthlyCost)}); the budget would be checked with a cost the requester chose`,
      );
    }
  }

  // The plan is made for the request the guardrails keyed and tagged.
  if (plan) {
    const input = inputOf(plan);
    const outputOf = (name: string) =>
      guardrailsId ? `steps.${guardrailsId}.output.${name}` : undefined;
    if (guardrailsId && singleExpression(input.tags) !== outputOf('tags')) {
      report(
        'plan-input-not-wired',
        plan,
        `input tags must be ${expr(outputOf('tags')!)} (is ${shown(input.tags)}); the auto-tags (team, cost center, environment, request, expiry) are a control`,
      );
    }
    if (
      guardrailsId &&
      input.requestKey !== undefined &&
      singleExpression(input.requestKey) !== outputOf('requestKey')
    ) {
      report(
        'plan-input-not-wired',
        plan,
        `input requestKey must be ${expr(outputOf('requestKey')!)} or absent (is ${shown(input.requestKey)}); it chooses which Terraform state is planned against`,
      );
    }
    if (
      guardrailsId &&
      input.team !== undefined &&
      singleExpression(input.team) !== outputOf('team') &&
      !same(input.team, guardrailsInput.team)
    ) {
      report(
        'plan-input-not-wired',
        plan,
        `input team must be ${expr(outputOf('team')!)}, the guardrails step's team, or absent (is ${shown(input.team)}); it chooses which Terraform state is planned against`,
      );
    }
    // A module variable named like a parameter a rule checks must be fed
    // that parameter: otherwise the rule passes on one value and Terraform
    // applies another (the backend checks planned values too, this says so
    // before the template is ever run).
    const variables =
      input.variables && typeof input.variables === 'object'
        ? (input.variables as Record<string, unknown>)
        : {};
    for (const rule of literalRules(guardrailsInput.rules)) {
      const { parameter, variable } = rule.require;
      if (typeof variable === 'string') {
        if (!(variable in variables)) {
          report(
            'plan-variable-bypasses-rule',
            plan,
            `rule '${rule.id}' checks module variable '${variable}', which the plan does not set in its input variables`,
          );
        }
        continue;
      }
      if (typeof parameter !== 'string' || !(parameter in variables)) continue;
      if (singleExpression(variables[parameter]) !== `parameters.${parameter}`) {
        report(
          'plan-variable-bypasses-rule',
          plan,
          `input variables.${parameter} is ${shown(variables[parameter])}, but rule '${rule.id}' checks parameters.${parameter}; feed it ${expr(`parameters.${parameter}`)}, or name the variable the rule reads with require.variable`,
        );
      }
    }
    if (reads(input, ['secrets'])) {
      report(
        'plan-input-reads-secrets',
        plan,
        `an input reads secrets; secrets are neither checked by the guardrails nor bound to the approval, so the plan would not be the one that was checked`,
      );
    }
  }

  // The request records what the guardrails and the plan produced.
  if (request) {
    const input = inputOf(request);
    const wiring: Array<[string, string[], boolean]> = [];
    if (guardrailsId) {
      const g = (name: string) => `steps.${guardrailsId}.output.${name}`;
      wiring.push(
        ['findings', [g('findings')], true],
        ['stages', [g('stages'), g('approvalPolicy.stages')], true],
        ['expiresAt', [g('expiresAt')], false],
      );
    }
    if (planId) {
      const p = (name: string) => `steps.${planId}.output.${name}`;
      wiring.push(
        ['cost', [p('cost')], true],
        ['planSummary', [p('planSummary')], true],
        ['planHash', [p('planHash')], true],
        ['planFileDigest', [p('planFileDigest')], false],
      );
    }
    wiring.unshift(['parameters', ['parameters'], true]);
    for (const [key, wanted, required] of wiring) {
      if (!required && input[key] === undefined) continue;
      const actual = singleExpression(input[key]);
      if (actual === undefined || !wanted.includes(actual)) {
        report(
          'request-input-not-wired',
          request,
          `input ${key} must be ${wanted.map(expr).join(' or ')}${required ? '' : ' or absent'} (is ${shown(input[key])})`,
        );
      }
    }
    if (guardrails) {
      for (const key of ['team', 'environment']) {
        // The guardrails step defaults its environment to the parameter.
        const checked =
          key === 'environment' && guardrailsInput.environment === undefined
            ? expr('parameters.environment')
            : guardrailsInput[key];
        const fromOutput =
          guardrailsId !== undefined &&
          singleExpression(input[key]) ===
            `steps.${guardrailsId}.output.${key}`;
        if (
          !fromOutput &&
          (input[key] === undefined || !same(input[key], checked))
        ) {
          report(
            'request-input-not-wired',
            request,
            `input ${key} must be the ${key} the guardrails step '${guardrails.label}' checked (${shown(checked)}${guardrailsId ? ` or ${expr(`steps.${guardrailsId}.output.${key}`)}` : ''}); is ${shown(input[key])}`,
          );
        }
      }
    }
    for (const key of ['category', 'allowSelfApprovalOutsideProduction']) {
      if (templated(input[key])) {
        report(
          'request-input-not-literal',
          request,
          `input ${key} is computed from a template expression (${shown(input[key])}); write it out as a literal, or the requester would choose it`,
        );
      }
    }
  }

  // Apply and destroy act on exactly what was planned and approved.
  for (const step of applies) {
    const input = inputOf(step);
    if (singleExpression(input.parameters) !== 'parameters') {
      report(
        'apply-input-not-wired',
        step,
        `input parameters must be ${expr('parameters')} (is ${shown(input.parameters)}); the grant is bound to the parameters that were approved`,
      );
    }
    for (const key of ['grantToken', 'requestId']) {
      if (input[key] === undefined) continue;
      const wanted = requestId ? `steps.${requestId}.output.${key}` : undefined;
      if (!wanted || singleExpression(input[key]) !== wanted) {
        report(
          'apply-input-not-wired',
          step,
          `input ${key} must be absent${wanted ? ` or ${expr(wanted)}` : ''} (is ${shown(input[key])}); it would redeem a grant other than the one of this task's request`,
        );
      }
    }
    if (input.planHash !== undefined) {
      const wanted = planId ? `steps.${planId}.output.planHash` : undefined;
      if (!wanted || singleExpression(input.planHash) !== wanted) {
        report(
          'apply-input-not-wired',
          step,
          `input planHash must be absent${wanted ? ` or ${expr(wanted)}` : ''} (is ${shown(input.planHash)})`,
        );
      }
    }
    if (step.action === DESTROY && guardrailsId) {
      const g = (name: string) => `steps.${guardrailsId}.output.${name}`;
      if (
        input.requestKey !== undefined &&
        singleExpression(input.requestKey) !== g('requestKey')
      ) {
        report(
          'apply-input-not-wired',
          step,
          `input requestKey must be ${expr(g('requestKey'))} or absent (is ${shown(input.requestKey)}); it chooses which Terraform state is destroyed`,
        );
      }
      if (
        input.team !== undefined &&
        singleExpression(input.team) !== g('team') &&
        !same(input.team, guardrailsInput.team)
      ) {
        report(
          'apply-input-not-wired',
          step,
          `input team must be ${expr(g('team'))}, the guardrails step's team, or absent (is ${shown(input.team)}); it chooses which Terraform state is destroyed`,
        );
      }
    }
    if (plan) {
      const planInput = inputOf(plan);
      const directory = (value: unknown) =>
        canonicalPath(value ?? DEFAULT_WORKING_DIRECTORY);
      if (
        directory(input.workingDirectory) !==
        directory(planInput.workingDirectory)
      ) {
        report(
          'apply-other-module',
          step,
          `input workingDirectory (${shown(input.workingDirectory)}) is not the plan step '${plan.label}''s (${shown(planInput.workingDirectory)}); it must act where the approved plan was made`,
        );
      }
      if (
        input.module !== undefined &&
        canonicalPath(input.module) !== canonicalPath(planInput.module)
      ) {
        report(
          'apply-other-module',
          step,
          `input module (${shown(input.module)}) is not the plan step '${plan.label}''s (${shown(planInput.module)}); it must act on the module that was planned`,
        );
      }
    }
  }
  return problems;
}
