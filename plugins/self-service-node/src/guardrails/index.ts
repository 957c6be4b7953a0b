export { evaluateBuiltInGuardrails, expiryFrom } from './builtins';
export type { BuiltInGuardrailsInput } from './builtins';
export {
  DEFAULT_GUARDRAILS,
  readGuardrailsConfig,
  type EnvironmentRule,
  type GuardrailsConfig,
  type StageTemplate,
} from './config';
export {
  plannedVariables,
  renderTemplateValue,
  Unrenderable,
} from './plannedValues';
export {
  evaluatePolicyRule,
  evaluatePolicyRuleAsPlanned,
  parsePolicyRules,
} from './policyRules';
export {
  deriveRequirements,
  type Requirements,
  type RequirementsInput,
} from './requirements';
export { DEFAULT_STAGE, resolveStages } from './stages';
export { readTemplateControls, type TemplateControls } from './templateControls';
