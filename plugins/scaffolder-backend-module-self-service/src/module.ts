import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  GuardrailRule,
  PriceBookLoader,
  SelfServiceBackendClient,
  selfServiceGuardrailsExtensionPoint,
  selfServiceTerraformExtensionPoint,
  TerraformRunner,
} from '@internal/plugin-self-service-node';
import { createCostEstimateAction } from './actions/cost/estimate';
import { createGuardrailsAction } from './actions/guardrails/guardrails';
import { createRequestAction } from './actions/request/request';
import { createTerraformApplyAction } from './actions/terraform/apply';
import { createTerraformDestroyAction } from './actions/terraform/destroy';
import { createTerraformPlanAction } from './actions/terraform/plan';
import type { SelfServiceActionsClient } from './client';
import { readSelfServiceActionsConfig } from './config';
import { resolveTerraform } from './terraform/simulation';
import { LocalTerraformRunner } from './terraform/LocalTerraformRunner';

/**
 * Adds the self-service actions to the scaffolder and provides the
 * extension points through which other modules add guardrail rules and
 * replace the Terraform runner.
 * @public
 */
export const scaffolderModuleSelfService = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'self-service',
  register(reg) {
    const rules: GuardrailRule[] = [];
    let customRunner: TerraformRunner | undefined;
    reg.registerExtensionPoint(selfServiceGuardrailsExtensionPoint, {
      addRule: (...added) => {
        rules.push(...added);
      },
    });
    reg.registerExtensionPoint(selfServiceTerraformExtensionPoint, {
      setRunner: runner => {
        if (customRunner)
          throw new Error(
            'A Terraform runner was already set for self-service',
          );
        customRunner = runner;
      },
    });
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        reader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      // Modules using the extension points above are initialised before this one.
      async init({ scaffolder, config, logger, auth, discovery, reader, catalog }) {
        const settings = readSelfServiceActionsConfig(config);
        // Once at start-up: the real CLI, or (when configured) the recorded
        // runner, said out loud.
        const terraformConfig = customRunner
          ? settings.terraform
          : resolveTerraform(settings.terraform, logger);
        const client: SelfServiceActionsClient = new SelfServiceBackendClient({
          discovery,
        });
        const priceBook = PriceBookLoader.fromConfig(config);
        const runner =
          customRunner ?? LocalTerraformRunner.fromConfig(terraformConfig);
        const terraform = {
          runner,
          config: terraformConfig,
          priceBook,
          reader,
          integrations: ScmIntegrations.fromConfig(config),
        };
        scaffolder.addActions(
          createGuardrailsAction({
            client,
            auth,
            config: settings.guardrails,
            priceBook,
            rules,
            catalog,
          }),
          createCostEstimateAction({ priceBook }),
          createTerraformPlanAction({ ...terraform, client, auth }),
          createRequestAction({
            client,
            auth,
            appBaseUrl: settings.appBaseUrl,
            catalog,
          }),
          createTerraformApplyAction({ ...terraform, client, auth }),
          createTerraformDestroyAction({ ...terraform, client, auth }),
        );
      },
    });
  },
});
