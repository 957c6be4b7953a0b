import { mockCredentials } from '@backstage/backend-test-utils';
import { as, startHarness, type TestHarness, until } from '../../__testUtils__/backend';
import { ALICE, BOB, LEADS, TEAM, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const SCAFFOLDER = as.service('plugin:scaffolder');

/** The whole two-phase flow through the HTTP API, on each database. */
describe('self-service API flow', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
    });

    it('answers health without credentials', async () => {
      const res = await h.http
        .get('/api/self-service/health')
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('publishes its permissions and conditional rules to the permission backend', async () => {
      const res = await h.http
        .get('/api/self-service/.well-known/backstage/permissions/metadata')
        .set('authorization', SCAFFOLDER);
      expect(res.status).toBe(200);
      expect(res.body.rules.map((r: { name: string }) => r.name).sort()).toEqual([
        'IS_APPROVER',
        'IS_REQUESTER',
        'IS_TEAM_MEMBER',
      ]);
      expect(res.body.permissions.map((p: { name: string }) => p.name).sort()).toEqual([
        'self-service.admin',
        'self-service.request.cancel',
        'self-service.request.create',
        'self-service.request.decide',
        'self-service.request.read',
      ]);
    });

    it('records, routes to approvers, launches, redeems and completes a request', async () => {
      const body = requestBody();
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      expect(created.body.grant).toBeUndefined();
      const id = created.body.request.id;
      expect(created.body.request).toMatchObject({ state: 'pending_approval', requester: ALICE });

      // The approvers were told, and pages were signalled.
      expect(h.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: [LEADS], excludeEntityRef: ALICE },
        }),
      );
      expect(h.signals.publish).toHaveBeenCalledWith(
        expect.objectContaining({
          channel: 'self-service:requests',
          message: expect.objectContaining({ requestId: id, state: 'pending_approval' }),
        }),
      );

      // A retry of the same step gets the same request back.
      const again = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(again.status).toBe(200);
      expect(again.body.request.id).toBe(id);

      const inbox = await h.http.get('/api/self-service/inbox').set('authorization', as.user(BOB));
      expect(inbox.status).toBe(200);
      expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(id);
      const aliceInbox = await h.http
        .get('/api/self-service/inbox')
        .set('authorization', as.user(ALICE));
      expect(aliceInbox.body.items.map((r: { id: string }) => r.id)).not.toContain(id);

      const detailForBob = await h.http
        .get(`/api/self-service/requests/${id}`)
        .set('authorization', as.user(BOB));
      expect(detailForBob.body).toMatchObject({ canDecide: true, canCancel: false });
      expect(detailForBob.body.stages).toEqual([
        { name: 'team-lead', groups: [LEADS], quorum: 1, approvals: 0, decided: false },
      ]);

      const decided = await h.http
        .post(`/api/self-service/requests/${id}/decisions`)
        .set('authorization', as.user(BOB))
        .send({ decision: 'approve', comment: 'ok' });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ state: 'applying', canDecide: false });

      // Exactly one launch, as the plugin itself, with the grant as a secret.
      const launch = h.launches.find(l => l.body.secrets.selfServiceRequestId === id)!;
      expect(launch.subject).toBe('plugin:self-service');
      expect(launch.body).toMatchObject({
        templateRef: body.templateRef,
        values: body.parameters,
        secrets: { selfServiceRequestId: id, selfServiceGrantToken: expect.any(String) },
      });
      const launchedTask = decided.body.taskIds[1];
      expect(launchedTask).toMatch(/^launched-task-/);

      // The apply step of the launched task reads the request as the scaffolder.
      const asScaffolder = await h.http
        .get(`/api/self-service/requests/${id}`)
        .set('authorization', SCAFFOLDER);
      expect(asScaffolder.status).toBe(200);
      expect(asScaffolder.body).toMatchObject({ id, canDecide: false, canCancel: false });

      const claim = {
        requestId: id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash,
        taskId: launchedTask,
        token: launch.body.secrets.selfServiceGrantToken,
      };
      const redeemed = await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', SCAFFOLDER)
        .send(claim);
      expect(redeemed.status).toBe(200);
      expect(redeemed.body).toEqual({ redeemed: true, grantId: expect.any(String) });

      const done = await h.http
        .post(`/api/self-service/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({
          state: 'succeeded',
          taskId: launchedTask,
          resourceRefs: ['resource:default/db-1'],
          outputs: { endpoint: 'db-1.internal:5432', port: 5432 },
        });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ state: 'succeeded', resourceRefs: ['resource:default/db-1'] });
      // The catalog hears about the new resource once, when it went live,
      // but not before the run that reported it has had time to finish.
      const announced = () =>
        h.events.publish.mock.calls
          .map(([event]) => event)
          .filter(event => event.eventPayload.requestId === id);
      expect(announced()).toEqual([]);
      await until(() => announced().length > 0);
      expect(announced()).toEqual([
        { topic: 'self-service.resources', eventPayload: { requestId: id, state: 'succeeded' } },
      ]);

      const usage = await h.http
        .get(`/api/self-service/teams/${encodeURIComponent(TEAM)}/usage`)
        .set('authorization', as.user(ALICE));
      expect(usage.status).toBe(200);
      expect(usage.body).toEqual({
        team: TEAM,
        currency: 'USD',
        budget: { limit: 1000, live: 100, reserved: 0, remaining: 900 },
        quota: { limit: 5, live: 1, reserved: 0, remaining: 4 },
      });

      const detail = await h.http
        .get(`/api/self-service/requests/${id}`)
        .set('authorization', as.user(ALICE));
      expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual([
        'created',
        'submitted-for-approval',
        'approved-stage-0',
        'launched',
        'grant-redeemed',
        'reported-succeeded',
      ]);
      expect(JSON.stringify(detail.body)).not.toContain(claim.token);
      expect(detail.body).toMatchObject({
        resourceName: body.parameters.name,
        outputs: { endpoint: 'db-1.internal:5432', port: 5432 },
      });
    });

    it('returns a grant for an auto-approved request, bound to the creating task', async () => {
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      expect(created.body.request.state).toBe('approved');
      expect(created.body.grant).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
      const redeemed = await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', SCAFFOLDER)
        .send({
          requestId: created.body.request.id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash,
          taskId: body.taskId,
          token: created.body.grant.token,
        });
      expect(redeemed.status).toBe(200);
    });

    it('audits every mutation, success or failure', async () => {
      h.audits.length = 0;
      await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(requestBody());
      await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', as.user(ALICE))
        .send({});
      expect(h.audits).toEqual([
        expect.objectContaining({ eventId: 'request-create', outcome: 'success' }),
        expect.objectContaining({ eventId: 'grant-redeem', outcome: 'fail', error: 'NotAllowedError' }),
      ]);
    });
  });
});
