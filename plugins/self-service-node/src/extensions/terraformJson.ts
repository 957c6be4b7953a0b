/*
 * Types for the parts of Terraform's machine-readable formats the
 * self-service plugins read: the plan representation of `terraform show
 * -json PLANFILE` and the output of `terraform output -json`. Field names are
 * Terraform's own (snake_case); see
 * https://developer.hashicorp.com/terraform/internals/json-format
 */

/** The `change` object of a resource or output change. @public */
export interface TerraformChange {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: Array<Array<string | number>>;
  importing?: unknown;
}

/** One entry of `resource_changes` or `resource_drift`. @public */
export interface TerraformResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  deposed?: string;
  provider_name?: string;
  change: TerraformChange;
  action_reason?: string;
}

/** The plan representation printed by `terraform show -json PLANFILE`. @public */
export interface TerraformPlanJson {
  format_version: string;
  terraform_version?: string;
  variables?: Record<string, { value?: unknown }>;
  resource_changes?: TerraformResourceChange[];
  resource_drift?: TerraformResourceChange[];
  output_changes?: Record<string, TerraformChange>;
  configuration?: unknown;
  planned_values?: unknown;
  prior_state?: unknown;
  errored?: boolean;
  applyable?: boolean;
  /** false: Terraform deferred changes to a later plan (Terraform 1.10+). */
  complete?: boolean;
  /** Changes Terraform could not plan yet (`-allow-deferral`). */
  deferred_changes?: TerraformDeferredChange[];
  /** Provider actions an apply invokes (Terraform 1.14). */
  action_invocations?: TerraformActionInvocation[];
}

/** One entry of `deferred_changes`. @public */
export interface TerraformDeferredChange {
  reason: string;
  resource_change: TerraformResourceChange;
}

/** One entry of `action_invocations` (Terraform 1.14). @public */
export interface TerraformActionInvocation {
  address: string;
  type?: string;
  name?: string;
  provider_name?: string;
  config_values?: unknown;
  config_sensitive?: unknown;
  config_unknown?: unknown;
  lifecycle_action_trigger?: {
    triggering_resource_address?: string;
    action_trigger_event?: string;
    action_trigger_block_index?: number;
    actions_list_index?: number;
  };
  invoke_action_trigger?: unknown;
}

/** One entry of `terraform output -json`. @public */
export interface TerraformOutputValue {
  sensitive: boolean;
  type?: unknown;
  value?: unknown;
}

/** The object printed by `terraform output -json`. @public */
export type TerraformOutputsJson = Record<string, TerraformOutputValue>;
