import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  SELF_SERVICE_RESOURCES_TOPIC,
  type SelfServiceResourceEvent,
} from '@internal/plugin-self-service-common';
import { createResourceLister } from './listResources';
import { serializedRefresh } from './refreshLoop';
import { SelfServiceResourceProvider } from './SelfServiceResourceProvider';
import { TemplateChecksProcessor } from './TemplateChecksProcessor';

/** Stable id of the periodic resource refresh; one replica runs it. */
export const RESOURCES_REFRESH_TASK_ID = 'self-service-resources-refresh';
/** Events subscriber id; replicas share it, so one of them handles each event. */
export const RESOURCES_SUBSCRIBER_ID = 'self-service-resource-provider';

/**
 * The catalog side of self-service: refuses templates that misuse the
 * self-service actions, and keeps one
 * `Resource` entity per provisioned resource: the entity of a request is
 * refreshed on its resource event from the self-service backend, and all of
 * them every 30 seconds in case an event was lost.
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
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        events: eventsServiceRef,
      },
      async init({ catalog, logger, config, scheduler, discovery, auth, events }) {
        catalog.addProcessor(new TemplateChecksProcessor(logger, config));

        const provider = new SelfServiceResourceProvider({
          listResources: createResourceLister({ discovery, auth }),
          appBaseUrl: config.getString('app.baseUrl'),
          logger,
        });
        catalog.addEntityProvider(provider);
        const refresh = serializedRefresh(provider, logger);

        await scheduler.scheduleTask({
          id: RESOURCES_REFRESH_TASK_ID,
          scope: 'global',
          frequency: { seconds: 30 },
          timeout: { seconds: 25 },
          // The catalog connects its providers once every module has started.
          initialDelay: { seconds: 5 },
          fn: refresh.all,
        });
        await events.subscribe({
          id: RESOURCES_SUBSCRIBER_ID,
          topics: [SELF_SERVICE_RESOURCES_TOPIC],
          // The publisher awaits local subscribers: don't hold up the
          // status report that caused the event with a catalog refresh.
          // An event names its request, so only that entity is refreshed;
          // one that does not is answered with a full refresh.
          onEvent: async ({ eventPayload }) => {
            const requestId = (eventPayload as Partial<SelfServiceResourceEvent> | undefined)
              ?.requestId;
            void (typeof requestId === 'string' && requestId
              ? refresh.request(requestId)
              : refresh.all());
          },
        });
      },
    });
  },
});
