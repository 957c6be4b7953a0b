/**
 * Scaffolder actions for self-service infrastructure: guardrails, cost
 * estimate, Terraform plan/apply/destroy and request recording.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSelfService as default } from './module';
export {
  createCostEstimateAction,
  type CostEstimateActionOptions,
} from './actions/cost/estimate';
export {
  createGuardrailsAction,
  type GuardrailsActionOptions,
} from './actions/guardrails/guardrails';
export {
  createRequestAction,
  type RequestActionOptions,
} from './actions/request/request';
export { createTerraformApplyAction } from './actions/terraform/apply';
export { createTerraformDestroyAction } from './actions/terraform/destroy';
export type {
  GrantedTerraformActionOptions,
  PlanActionOptions,
  TerraformActionOptions,
} from './actions/terraform/options';
export { createTerraformPlanAction } from './actions/terraform/plan';
export type { PriceBookSource } from './actions/shared';
export type { CreateRequestResult, SelfServiceActionsClient } from './client';
export {
  DEFAULT_GUARDRAILS,
  readSelfServiceActionsConfig,
  type EnvironmentRule,
  type GuardrailsConfig,
  type SelfServiceActionsConfig,
  type StageTemplate,
  type TerraformConfig,
} from './config';
export {
  LocalTerraformRunner,
  type LocalTerraformRunnerOptions,
} from './terraform/LocalTerraformRunner';
export { TerraformCommandError } from './terraform/runProcess';
