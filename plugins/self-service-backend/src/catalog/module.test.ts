import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ANNOTATION_REQUEST_ID,
  SELF_SERVICE_RESOURCES_TOPIC,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { ALICE, DAY, HOUR, TEAM, limits, requestBody } from '../__testUtils__/fixtures';
import { createTestDatabases } from '../__testUtils__/store';
import { SelfServiceStore } from '../database/SelfServiceStore';
import selfServicePlugin, { catalogModuleSelfService } from '../index';

jest.setTimeout(120_000);

const SCAFFOLDER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:scaffolder'),
  targetPluginId: 'self-service',
});
const ENTITY = '/api/catalog/entities/by-name/resource/default/postgres-database-orders-db-dev';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the catalog');
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/**
 * The whole path with real plugins: a status report to the self-service
 * backend publishes a resource event, the catalog module hears it, reads
 * `GET /resources` as the catalog, and the catalog serves the Resource.
 */
describe('catalogModuleSelfService', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'puts provisioned resources in the catalog and takes destroyed ones out, %p',
    async databaseId => {
      const knexes: Record<string, Knex> = {
        'self-service': await databases.init(databaseId),
        catalog: await databases.init(databaseId),
      };
      // One bus for every plugin, as the real events service is.
      const events = mockServices.events();
      const published = jest.spyOn(events, 'publish');
      const backend = await startTestBackend({
        features: [
          selfServicePlugin,
          catalogPlugin,
          catalogModuleSelfService,
          mockServices.rootConfig.factory({ data: { app: { baseUrl: 'http://app.example' } } }),
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) => mockServices.database({ knex: knexes[plugin.getId()] }),
          }),
          createServiceFactory({ service: eventsServiceRef, deps: {}, factory: () => events }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
          createServiceFactory({
            service: signalsServiceRef,
            deps: {},
            factory: () => ({ publish: async () => {} }),
          }),
        ],
      });
      try {
        const http = request(backend.server);
        const store = await SelfServiceStore.create({
          database: mockServices.database({ knex: knexes['self-service'] }),
        });
        const now = new Date();
        const body = requestBody({
          parameters: { name: 'orders-db', size: 'small' },
          approvalPolicy: { stages: [] },
        });
        const { request: created, grant } = await store.createRequest({
          body,
          requester: ALICE,
          limits: limits(),
          now,
          decisionTimeoutMs: 7 * DAY,
          grantTtlMs: HOUR,
        });
        await store.redeemGrant(
          {
            requestId: created.id,
            templateRef: body.templateRef,
            parametersHash: body.parametersHash,
            planHash: body.planHash!,
            taskId: body.taskId,
            token: grant!.token,
          },
          { actor: 'plugin:scaffolder', now },
        );
        const report = async (state: string, taskId: string, extra: object = {}) => {
          const res = await http
            .post(`/api/self-service/requests/${created.id}/status`)
            .set('authorization', SCAFFOLDER)
            .send({ state, taskId, ...extra });
          expect(res.status).toBe(200);
        };

        await report('succeeded', body.taskId, {
          outputs: { endpoint: 'orders.internal:5432', port: 5432 },
        });
        // Announced once the reporting run has had time to finish.
        await eventually(async () => (published.mock.calls.length ? true : undefined));
        expect(published).toHaveBeenCalledWith({
          topic: SELF_SERVICE_RESOURCES_TOPIC,
          eventPayload: { requestId: created.id, state: 'succeeded' },
        });

        const entity = await eventually(async () => {
          const res = await http.get(ENTITY).set('authorization', mockCredentials.user.header());
          return res.status === 200 ? res.body : undefined;
        });
        expect(entity).toMatchObject({
          kind: 'Resource',
          metadata: {
            title: 'orders-db',
            annotations: { [ANNOTATION_REQUEST_ID]: created.id },
            links: [{ url: `http://app.example/self-service/requests/${created.id}` }],
          },
          spec: {
            type: 'postgres-database',
            owner: TEAM,
            outputs: { endpoint: 'orders.internal:5432', port: 5432 },
          },
        });

        await report('destroying', 'task-destroy');
        await report('destroyed', 'task-destroy');
        await eventually(async () => {
          const res = await http.get(ENTITY).set('authorization', mockCredentials.user.header());
          return res.status === 404 ? true : undefined;
        });
      } finally {
        await backend.stop();
      }
    },
  );
});
