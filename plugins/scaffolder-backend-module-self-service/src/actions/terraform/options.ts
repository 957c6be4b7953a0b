import type {
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { TerraformRunner } from '@internal/plugin-self-service-node';
import type { z as zod } from 'zod/v3';
import type { SelfServiceActionsClient } from '../../client';
import type { TerraformConfig } from '../../config';
import type { PriceBookSource } from '../shared';

/** Options shared by the terraform:* actions. @public */
export interface TerraformActionOptions {
  runner: TerraformRunner;
  config: TerraformConfig;
  priceBook?: PriceBookSource;
  /** Reads modules of templates registered from URLs (not `file:`). */
  reader?: UrlReaderService;
  integrations?: ScmIntegrationRegistry;
}

/**
 * Options of terraform:plan. Without `client` and `auth` it plans only in
 * tasks that name no request: a launched run's grant must be checked by the
 * backend before Terraform runs.
 * @public
 */
export interface PlanActionOptions extends TerraformActionOptions {
  client?: SelfServiceActionsClient;
  auth?: AuthService;
}

/** Options of the actions that need a grant (apply, destroy). @public */
export interface GrantedTerraformActionOptions extends TerraformActionOptions {
  client: SelfServiceActionsClient;
  auth: AuthService;
}

/** Inputs the terraform:* actions share, as zod callbacks. */
export const moduleInputs = {
  module: (z: typeof zod) =>
    z
      .string()
      .describe(
        "Path of the Terraform module, relative to the template's directory",
      ),
  variables: (z: typeof zod) =>
    z
      .record(z.any())
      .optional()
      .describe(
        'Values for the module variables; written as JSON to self-service.auto.tfvars.json',
      ),
  tags: (z: typeof zod) =>
    z
      .record(z.string())
      .optional()
      .describe(
        'Auto-tags from self-service:guardrails, passed as the `tags` variable',
      ),
  team: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Owning team (keys the state); defaults to tags.team'),
  requestKey: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Request key from self-service:guardrails (keys the state); defaults to tags["request-key"]',
      ),
  workingDirectory: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Subdirectory Terraform runs in (default terraform)'),
};
