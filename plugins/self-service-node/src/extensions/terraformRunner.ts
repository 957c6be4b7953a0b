import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { TerraformOutputsJson, TerraformPlanJson } from './terraformJson';

/**
 * Where and how one Terraform command runs.
 * @public
 */
export interface TerraformRunContext {
  /** Directory holding the root module, the generated tfvars and the plan file. */
  workingDirectory: string;
  /** Receives the command's output line by line (already redacted by the caller's logger). */
  logger: LoggerService;
  /** Aborts the command: the process is stopped with SIGTERM, then SIGKILL. */
  signal?: AbortSignal;
}

/**
 * Runs Terraform (or OpenTofu) commands for the self-service actions. The
 * first implementation drives the local CLI; others (e.g. HCP Terraform runs
 * through its API) can be installed through
 * {@link selfServiceTerraformExtensionPoint}.
 * @public
 */
export interface TerraformRunner {
  /** `init` with the given `-backend-config` key/values. */
  init(
    context: TerraformRunContext,
    options: { backendConfig: Record<string, string> },
  ): Promise<void>;
  /** `plan -out=planFile` (with `-destroy` for tear-down plans). */
  plan(
    context: TerraformRunContext,
    options: { planFile: string; destroy?: boolean },
  ): Promise<void>;
  /** `show -json planFile`, parsed. */
  show(
    context: TerraformRunContext,
    options: { planFile: string },
  ): Promise<TerraformPlanJson>;
  /** Applies exactly the saved plan file. */
  apply(
    context: TerraformRunContext,
    options: { planFile: string },
  ): Promise<void>;
  /** `output -json`, parsed (sensitive values included: callers drop them). */
  output(context: TerraformRunContext): Promise<TerraformOutputsJson>;
}

/**
 * Replaces the Terraform runner the self-service scaffolder actions use
 * (by default the local CLI named in `selfService.terraform.binary`).
 * @public
 */
export interface SelfServiceTerraformExtensionPoint {
  setRunner(runner: TerraformRunner): void;
}

/** @public */
export const selfServiceTerraformExtensionPoint =
  createExtensionPoint<SelfServiceTerraformExtensionPoint>({
    id: 'self-service.terraform',
  });
