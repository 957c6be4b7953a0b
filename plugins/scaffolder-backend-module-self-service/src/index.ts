/**
 * Scaffolder actions for self-service infrastructure: guardrails, cost
 * estimate, Terraform plan/apply/destroy and request recording.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSelfService as default } from './module';
export * from './actions/cost/estimate';
export * from './actions/guardrails/guardrails';
export * from './actions/request/request';
export * from './actions/terraform/apply';
export * from './actions/terraform/destroy';
export * from './actions/terraform/options';
export * from './actions/terraform/plan';
export type { PriceBookSource } from './actions/shared';
export * from './client';
export * from './config';
export * from './terraform/LocalTerraformRunner';
export { TerraformCommandError } from './terraform/runProcess';
