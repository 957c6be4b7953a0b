import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { as, startHarness, type TestHarness } from '../../__testUtils__/backend';
import { LIFECYCLE_SWEEP_ID } from '../sweeps';
import { ALICE, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const SCAFFOLDER = as.service('plugin:scaffolder');

/** The plugin schedules the lifecycle sweep and it tears an expired resource down by itself. */
describe('the lifecycle sweep in the plugin', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    afterAll(() => h?.stop());

    it('launches the tear-down of a dev resource whose TTL passed, once', async () => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler();
      h = await startHarness({
        knex,
        config: {
          selfService: {
            // Expiry rounds down to the minute: a 1 s TTL has passed at once.
            guardrails: { environments: { dev: { ttl: { seconds: 1 } } } },
          },
        },
        features: [
          createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => scheduler }),
        ],
      });
      expect((await scheduler.getScheduledTasks()).map(t => t.id)).toContain(LIFECYCLE_SWEEP_ID);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      const id: string = created.body.request.id;
      expect(created.body.request.expiresAt).toBeDefined();
      await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', SCAFFOLDER)
        .send({
          requestId: id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash,
          taskId: body.taskId,
          token: created.body.grant.token,
        })
        .expect(200);
      await h.http
        .post(`/api/self-service/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: body.taskId })
        .expect(200);

      const destroys = () =>
        h.launches.filter(l => l.body.secrets?.selfServiceOperation === SELF_SERVICE_DESTROY_OPERATION);
      expect(destroys()).toEqual([]);
      await scheduler.triggerTask(LIFECYCLE_SWEEP_ID);
      expect(destroys()).toHaveLength(1);
      expect(destroys()[0]).toMatchObject({
        subject: 'plugin:self-service',
        body: { templateRef: body.templateRef, secrets: { selfServiceRequestId: id } },
      });
      const detail = await h.http.get(`/api/self-service/requests/${id}`).set('authorization', as.user(ALICE));
      expect(detail.body).toMatchObject({ state: 'destroying', stateReason: expect.any(String) });
      expect(detail.body.events.map((e: { reason?: string }) => e.reason)).toContain('expired → destroyed by TTL');
      expect(h.audits).toContainEqual(
        expect.objectContaining({ eventId: 'request-destroy', outcome: 'success', meta: expect.objectContaining({ trigger: 'ttl' }) }),
      );
      // Later sweeps leave it alone.
      await scheduler.triggerTask(LIFECYCLE_SWEEP_ID);
      expect(destroys()).toHaveLength(1);
    });
  });
});
