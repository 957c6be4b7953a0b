import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { TemplateChecksProcessor } from './TemplateChecksProcessor';

/**
 * The catalog side of self-service: flags misused templates.
 * @public
 */
export const catalogModuleSelfService = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'self-service',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addProcessor(new TemplateChecksProcessor(logger));
      },
    });
  },
});
