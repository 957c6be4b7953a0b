import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  Environment,
  Finding,
  PolicyRuleInput,
  TeamUsage,
} from '@internal/plugin-self-service-common';

/**
 * What a guardrail rule sees when it is evaluated for one submission.
 * @public
 */
export interface GuardrailRuleContext {
  /** Entity ref of the template, e.g. `template:default/postgres-database`. */
  templateRef: string;
  /** The submitted template parameters. */
  parameters: Record<string, unknown>;
  /** Owning team's group entity ref. */
  team: string;
  environment: Environment;
  category?: string;
  /** Estimated monthly cost of the request, when known. */
  monthlyCost?: number;
  /** The team's budget and quota, when they were looked up. */
  usage?: TeamUsage;
}

/**
 * A guardrail rule written in code. Return no findings when the submission
 * passes. A finding with severity `require-approval` may name the `stage` it
 * adds (default `team-lead`).
 * @public
 */
export interface CodedGuardrailRule {
  id: string;
  description?: string;
  evaluate(context: GuardrailRuleContext): Finding[] | Promise<Finding[]>;
}

/**
 * A rule registered through {@link selfServiceGuardrailsExtensionPoint}:
 * either the declarative format templates use (see `policyRuleSchema`) or a
 * coded rule.
 * @public
 */
export type GuardrailRule = PolicyRuleInput | CodedGuardrailRule;

/** @public */
export function isCodedGuardrailRule(
  rule: GuardrailRule,
): rule is CodedGuardrailRule {
  return typeof (rule as CodedGuardrailRule).evaluate === 'function';
}

/**
 * Lets other backend modules add guardrail rules that every
 * `self-service:guardrails` step evaluates, on top of the rules a template
 * declares in its step input.
 * @public
 */
export interface SelfServiceGuardrailsExtensionPoint {
  addRule(...rules: GuardrailRule[]): void;
}

/** @public */
export const selfServiceGuardrailsExtensionPoint =
  createExtensionPoint<SelfServiceGuardrailsExtensionPoint>({
    id: 'self-service.guardrails',
  });
