import { InputError } from '@backstage/errors';
import {
  type ApprovalStage,
  approvalStageSchema,
  type PolicyRule,
} from '@internal/plugin-self-service-common';
import { parsePolicyRules } from './policyRules';

/**
 * The controls a template declares, read from its entity as the catalog holds
 * it rather than from what its steps hand over at run time: the rules,
 * stages, cost ceiling, finance threshold and TTL of its
 * `self-service:guardrails` step, whether its `self-service:request` step
 * lets requesters approve their own non-production requests, and the module
 * variables its `terraform:plan` step passes.
 * @public
 */
export interface TemplateControls {
  rules: PolicyRule[];
  stages: ApprovalStage[];
  costCeiling?: number;
  financeThreshold?: number;
  ttlDays?: number;
  allowSelfApprovalOutsideProduction: boolean;
  /** The plan step's `variables` input as written (undefined without one). */
  planVariables?: unknown;
}

interface StepLike {
  id?: string;
  action?: string;
  input?: Record<string, unknown>;
}

/** True when a value holds a template expression anywhere inside it. */
function templated(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (Array.isArray(value)) return value.some(templated);
  if (value && typeof value === 'object') {
    return Object.values(value).some(templated);
  }
  return false;
}

/**
 * A control must be written out in the template: a value computed at run time
 * could come from what the requester typed.
 */
function literal(step: StepLike, key: string): unknown {
  const value = step.input?.[key];
  if (templated(value)) {
    throw new InputError(
      `step '${step.id ?? step.action}': input ${key} is computed from a template expression; the backend reads controls from the template as written, so give it as a literal`,
    );
  }
  return value;
}

function optionalNumber(step: StepLike, key: string): number | undefined {
  const value = literal(step, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(
      `step '${step.id ?? step.action}': input ${key} must be a non-negative number`,
    );
  }
  return value;
}

/** The lower of two optional limits: two guardrails steps both apply. */
function lower(a?: number, b?: number): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Reads the declared controls of a template spec. Throws an `InputError`
 * naming the step and input when a control is malformed or computed.
 * @public
 */
export function readTemplateControls(spec: unknown): TemplateControls {
  const steps = (((spec ?? {}) as { steps?: unknown }).steps ?? []) as
    | StepLike[]
    | unknown;
  const list = Array.isArray(steps) ? (steps as StepLike[]) : [];
  const controls: TemplateControls = {
    rules: [],
    stages: [],
    allowSelfApprovalOutsideProduction: false,
  };
  let selfApproval: boolean | undefined;
  for (const step of list) {
    if (!step || typeof step !== 'object') continue;
    const where = `step '${step.id ?? step.action}'`;
    switch (step.action) {
      case 'self-service:guardrails': {
        const rules = literal(step, 'rules') ?? [];
        if (!Array.isArray(rules)) {
          throw new InputError(`${where}: input rules must be a list`);
        }
        controls.rules.push(...parsePolicyRules(rules, where));
        const stages = literal(step, 'stages') ?? [];
        if (!Array.isArray(stages)) {
          throw new InputError(`${where}: input stages must be a list`);
        }
        for (const [index, stage] of stages.entries()) {
          const parsed = approvalStageSchema.safeParse(stage);
          if (!parsed.success) {
            throw new InputError(
              `${where}: input stages[${index}] is invalid: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            );
          }
          controls.stages.push(parsed.data);
        }
        controls.costCeiling = lower(
          controls.costCeiling,
          optionalNumber(step, 'costCeiling'),
        );
        controls.financeThreshold = lower(
          controls.financeThreshold,
          optionalNumber(step, 'financeThreshold'),
        );
        controls.ttlDays = lower(controls.ttlDays, optionalNumber(step, 'ttlDays'));
        break;
      }
      case 'self-service:request': {
        // Only a literal true relaxes four eyes; every request step must say so.
        const value = step.input?.allowSelfApprovalOutsideProduction;
        selfApproval = (selfApproval ?? true) && value === true;
        break;
      }
      case 'terraform:plan':
        // The first plan step feeds the plan the request records.
        if (controls.planVariables === undefined) {
          controls.planVariables = step.input?.variables ?? {};
        }
        break;
      default:
        break;
    }
  }
  controls.allowSelfApprovalOutsideProduction = selfApproval ?? false;
  return controls;
}
