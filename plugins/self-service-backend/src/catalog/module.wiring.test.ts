import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  type EntityProvider,
  type EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { SELF_SERVICE_RESOURCES_TOPIC } from '@internal/plugin-self-service-common';
import { catalogModuleSelfService } from './module';
import { TemplateChecksProcessor } from './TemplateChecksProcessor';

const RESOURCE = {
  requestId: '0b7c1f1e-6a51-4c1a-9d1f-2d3c4b5a6978',
  templateRef: 'template:default/postgres-database',
  type: 'database',
  name: 'orders-db',
  team: 'group:default/team-a',
  environment: 'dev',
  tags: [],
  outputs: {},
};

/** Retries an assertion until it passes; events are handled in the background. */
async function waitFor(assertion: () => void, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

/**
 * The module's wiring with the catalog, scheduler and events replaced by
 * recorders: what it registers, how often it refreshes, and that a failing
 * refresh neither throws nor stops later ones.
 */
describe('catalogModuleSelfService wiring', () => {
  it('registers the processor and provider, a 30 s global refresh and an event subscription', async () => {
    const processors: unknown[] = [];
    const providers: EntityProvider[] = [];
    const scheduler = mockServices.scheduler.mock();
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    // Nothing answers at the discovered URL: every refresh fails.
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockRejectedValue(new Error('connect ECONNREFUSED'));

    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor: (...p: unknown[]) => processors.push(...p.flat()),
            addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) =>
              providers.push(...p.flat()),
            addPlaceholderResolver: () => {},
            setOnProcessingErrorHandler: () => {},
          },
        ],
      ],
      features: [
        catalogModuleSelfService,
        scheduler.factory,
        events.factory,
        logger.factory,
        mockServices.rootConfig.factory({ data: { app: { baseUrl: 'http://app' } } }),
      ],
    });

    try {
      expect(processors).toEqual([expect.any(TemplateChecksProcessor)]);
      expect(providers.map(p => p.getProviderName())).toEqual(['self-service-resources']);
      expect(scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'self-service-resources-refresh',
          scope: 'global',
          frequency: { seconds: 30 },
          timeout: { seconds: 25 },
          initialDelay: { seconds: 5 },
        }),
      );
      expect(events.subscribe).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'self-service-resource-provider',
          topics: [SELF_SERVICE_RESOURCES_TOPIC],
        }),
      );

      const scheduled = scheduler.scheduleTask.mock.calls[0][0].fn as () => Promise<void>;
      const onEvent = events.subscribe.mock.calls[0][0].onEvent;
      const event = { topic: SELF_SERVICE_RESOURCES_TOPIC, eventPayload: {} };

      // Before the catalog connects the provider: logged, not thrown.
      await expect(onEvent(event)).resolves.toBeUndefined();
      await waitFor(() =>
        expect(logger.warn).toHaveBeenLastCalledWith(expect.stringContaining('not connected')),
      );

      const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
      await providers[0].connect(connection as unknown as EntityProviderConnection);
      await expect(scheduled()).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenLastCalledWith(expect.stringContaining('ECONNREFUSED'));
      expect(fetchSpy).toHaveBeenCalledWith(
        expect.stringMatching(/\/api\/self-service\/resources$/),
        expect.anything(),
      );
      // A failed listing never empties the catalog.
      expect(connection.applyMutation).not.toHaveBeenCalled();

      // Once the backend answers, an event without a request replaces the
      // provider's entities.
      fetchSpy.mockImplementation(async () => Response.json([RESOURCE]));
      const deferred = {
        entity: expect.objectContaining({ kind: 'Resource' }),
        locationKey: `self-service:${RESOURCE.requestId}`,
      };
      await expect(onEvent(event)).resolves.toBeUndefined();
      await waitFor(() =>
        expect(connection.applyMutation).toHaveBeenCalledWith({
          type: 'full',
          entities: [deferred],
        }),
      );

      // An event naming its request reads that request only and applies a delta.
      fetchSpy.mockClear();
      connection.applyMutation.mockClear();
      const oneEvent = {
        topic: SELF_SERVICE_RESOURCES_TOPIC,
        eventPayload: { requestId: RESOURCE.requestId, state: 'succeeded' },
      };
      await expect(onEvent(oneEvent)).resolves.toBeUndefined();
      await waitFor(() =>
        expect(connection.applyMutation).toHaveBeenCalledWith({
          type: 'delta',
          added: [deferred],
          removed: [],
        }),
      );
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(fetchSpy).toHaveBeenCalledWith(
        expect.stringMatching(`/api/self-service/resources\\?requestId=${RESOURCE.requestId}$`),
        expect.anything(),
      );
    } finally {
      fetchSpy.mockRestore();
      await backend.stop();
    }
  });
});
