import type {
  ApprovalStage,
  Environment,
  Finding,
} from '@internal/plugin-self-service-common';
import { evaluateBuiltInGuardrails } from './builtins';
import type { GuardrailsConfig } from './config';
import { plannedVariables, Unrenderable } from './plannedValues';
import { evaluatePolicyRule, evaluatePolicyRuleAsPlanned } from './policyRules';
import { resolveStages } from './stages';
import type { TemplateControls } from './templateControls';

const DAY_MS = 24 * 3600 * 1000;

/** @public */
export interface RequirementsInput {
  controls: TemplateControls;
  config: GuardrailsConfig;
  /** Owning team's group ref, e.g. group:default/team-a. */
  team: string;
  environment: Environment;
  parameters: Record<string, unknown>;
  /** The monthly cost to judge by; undefined when nothing could price it. */
  monthlyCost?: number;
  currency: string;
  unpriced: string[];
  now: Date;
}

/** @public */
export interface Requirements {
  findings: Finding[];
  stages: ApprovalStage[];
  expiresAt?: string;
}

/**
 * What a request needs, from facts the backend trusts: the organisation's
 * config, the template as the catalog holds it, the parameters, the values
 * the plan is fed and the cost. Quota and budget are not judged here: the
 * store checks them in the transaction that reserves them.
 * @public
 */
export function deriveRequirements(input: RequirementsInput): Requirements {
  const { controls, parameters } = input;
  const builtIn = evaluateBuiltInGuardrails({
    teamLabel: input.team.replace(/^[^:]*:(?:[^/]*\/)?/, ''),
    environment: input.environment,
    monthlyCost: input.monthlyCost,
    currency: input.currency,
    unpriced: input.unpriced,
    config: input.config,
    costCeiling: controls.costCeiling,
    financeThreshold: controls.financeThreshold,
    ttlMs:
      controls.ttlDays !== undefined ? controls.ttlDays * DAY_MS : undefined,
    now: input.now,
  });
  const findings: Finding[] = [...builtIn.findings];

  const variables = plannedVariables(controls.planVariables, parameters);
  if (variables instanceof Unrenderable) {
    findings.push({
      code: 'plan.variables-unverifiable',
      severity: 'deny',
      message: `The template's terraform:plan step passes its variables as ${variables.expression}, which the backend cannot check against the policy rules; list each variable`,
    });
  }
  // The environment decides the approvals and the TTL: what the request says
  // must be what the form and Terraform get.
  const said = [
    ['the parameters', parameters.environment],
    ["the plan step's variables", variables instanceof Unrenderable ? undefined : variables.environment],
  ] as const;
  for (const [where, value] of said) {
    if (value !== undefined && value !== null && value !== input.environment) {
      findings.push({
        code: 'environment.mismatch',
        severity: 'deny',
        message: `The request is recorded for ${input.environment}, but ${where} say ${value instanceof Unrenderable ? value.expression : String(value)}`,
      });
    }
  }
  for (const rule of controls.rules) {
    const finding =
      evaluatePolicyRule(rule, parameters) ??
      (variables instanceof Unrenderable
        ? undefined
        : evaluatePolicyRuleAsPlanned(rule, parameters, variables));
    if (finding) findings.push(finding);
  }

  const { stages } = resolveStages({
    base: controls.stages,
    findings,
    inline: controls.rules
      .map(rule => rule.approvers)
      .filter((stage): stage is ApprovalStage => !!stage),
    templates: input.config.stages,
    team: input.team,
  });
  return { findings, stages, expiresAt: builtIn.expiresAt };
}
