/**
 * Static checks of a Template's use of the self-service actions. The catalog
 * flags templates that fail them and `self-service:request` refuses to record
 * a request for them, because each mistake would let something run that was
 * never approved.
 */

/** @public */
export interface TemplateProblem {
  code:
    | 'apply-before-request'
    | 'apply-if-caller-controlled'
    | 'secret-parameter-on-gated-template'
    | 'step-after-apply-unconditional';
  stepId?: string;
  message: string;
}

/** The parts of a v1beta3 Template spec the checks read. @public */
export interface TemplateSpecLike {
  parameters?: unknown;
  steps?: Array<{ id?: string; action?: string; if?: unknown }>;
}

const APPLY_ACTIONS = ['terraform:apply', 'terraform:destroy'];
const REQUEST_ACTION = 'self-service:request';

function parameterPages(parameters: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(parameters))
    return parameters as Array<Record<string, unknown>>;
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
  if (/\b(parameters|secrets|user)\b/.test(condition)) return true;
  const stepIds = [...condition.matchAll(/\bsteps(?:\.|\[['"])([\w-]+)/g)].map(
    m => m[1],
  );
  // A condition that reads no step at all (a constant expression) gates nothing.
  return (
    stepIds.length === 0 || stepIds.some(id => !requestStepIds.includes(id))
  );
}

/** Returns every problem found; an empty list means the template is safe. @public */
export function checkTemplate(spec: TemplateSpecLike): TemplateProblem[] {
  const steps = spec.steps ?? [];
  const problems: TemplateProblem[] = [];
  const requestIndex = steps.findIndex(s => s.action === REQUEST_ACTION);
  const requestIds = steps
    .filter(s => s.action === REQUEST_ACTION && s.id)
    .map(s => s.id as string);
  const applyIndexes = steps
    .map((s, i) => (APPLY_ACTIONS.includes(s.action ?? '') ? i : -1))
    .filter(i => i >= 0);

  for (const i of applyIndexes) {
    const step = steps[i];
    if (requestIndex === -1 || i < requestIndex) {
      problems.push({
        code: 'apply-before-request',
        stepId: step.id,
        message: `Step '${step.id ?? i}' runs ${step.action} before any ${REQUEST_ACTION} step records and gates the request`,
      });
    }
    if (callerControlled(step.if, requestIds)) {
      problems.push({
        code: 'apply-if-caller-controlled',
        stepId: step.id,
        message: `Step '${step.id ?? i}' runs ${step.action} under an 'if:' that reads input the caller controls (${String(step.if)}); it may only read the ${REQUEST_ACTION} step's output`,
      });
    }
  }

  if (applyIndexes.length > 0) {
    const lastApply = steps[applyIndexes[applyIndexes.length - 1]];
    for (const step of steps.slice(applyIndexes[applyIndexes.length - 1] + 1)) {
      const guarded =
        typeof step.if === 'string' &&
        lastApply.id !== undefined &&
        step.if.includes(`steps.${lastApply.id}.output`);
      if (!guarded) {
        problems.push({
          code: 'step-after-apply-unconditional',
          stepId: step.id,
          message: `Step '${step.id ?? '?'}' after ${lastApply.action} would also run when the apply did not (pending approval or skipped); guard it with an 'if:' on steps.${lastApply.id ?? '<apply>'}.output`,
        });
      }
    }
  }

  if (requestIndex !== -1) {
    for (const name of secretParameters(spec.parameters)) {
      problems.push({
        code: 'secret-parameter-on-gated-template',
        message: `Parameter '${name}' is a secret, but this template can wait for approval and secrets are not kept until then; let Terraform generate it or read it from a secret store`,
      });
    }
  }
  return problems;
}
