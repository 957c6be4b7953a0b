import { SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { as, startHarness, type TestHarness } from '../../__testUtils__/backend';
import { ALICE, BOB, MALLORY, requestBody, sha } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const SCAFFOLDER = as.service('plugin:scaffolder');

/** `POST /requests/:id/destroy` and the tear-down it launches, on each database. */
describe('tear-down through the API', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      h = await startHarness({ knex });
    });
    afterAll(() => h?.stop());
    beforeEach(() => {
      // Nobody is an admin here, so only the requester and the team may destroy.
      h.setPolicy(name =>
        name === 'self-service.admin'
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
    });

    /** An auto-approved request of Alice's, applied and succeeded. */
    async function succeededRequest(patch: Parameters<typeof requestBody>[0] = {}) {
      const body = requestBody({ approvalPolicy: { stages: [] }, ...patch });
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      const id: string = created.body.request.id;
      const redeemed = await h.http
        .post('/api/self-service/grants/redeem')
        .set('authorization', SCAFFOLDER)
        .send({
          requestId: id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash,
          taskId: body.taskId,
          token: created.body.grant.token,
        });
      expect(redeemed.status).toBe(200);
      const done = await h.http
        .post(`/api/self-service/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: body.taskId });
      expect(done.body.state).toBe('succeeded');
      return { id, body };
    }

    const destroy = (id: string, user: string, body: object = {}) =>
      h.http
        .post(`/api/self-service/requests/${id}/destroy`)
        .set('authorization', as.user(user))
        .send(body);

    it('lets a team member start it once, launches the template with a destroy grant, and ends destroyed', async () => {
      const { id, body } = await succeededRequest();
      const detail = (user: string) =>
        h.http.get(`/api/self-service/requests/${id}`).set('authorization', as.user(user));
      expect((await detail(ALICE)).body.canDestroy).toBe(true);
      expect((await detail(MALLORY)).body.canDestroy).toBe(false);

      const outsider = await destroy(id, MALLORY);
      expect(outsider.status).toBe(403);
      expect(h.audits.at(-1)).toMatchObject({ eventId: 'request-destroy', outcome: 'fail' });
      expect((await destroy(id, BOB, { reason: 'x', extra: true })).status).toBe(400);
      expect((await destroy('not-a-uuid', BOB)).status).toBe(400);

      const launchesBefore = h.launches.length;
      const started = await destroy(id, BOB, { reason: 'the project ended' });
      expect(started.status).toBe(200);
      expect(h.launches).toHaveLength(launchesBefore + 1);
      const launch = h.launches.at(-1)!;
      expect(launch.body).toMatchObject({
        templateRef: body.templateRef,
        values: body.parameters,
        secrets: {
          selfServiceRequestId: id,
          selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
          selfServiceGrantToken: expect.any(String),
        },
      });
      const taskId = `launched-task-${h.launches.length}`;
      expect(started.body).toMatchObject({
        state: 'destroying',
        canDestroy: false,
        taskIds: [body.taskId, taskId],
      });
      expect(started.body.events.map((e: { action: string }) => e.action).slice(-2)).toEqual([
        'destroy-requested',
        'launched',
      ]);
      expect(started.body.events.at(-2)).toMatchObject({ actor: BOB, reason: 'the project ended' });
      expect(h.audits.at(-1)).toMatchObject({
        eventId: 'request-destroy',
        outcome: 'success',
        meta: { requestId: id },
      });
      expect(h.signals.publish).toHaveBeenCalledWith(
        expect.objectContaining({
          message: expect.objectContaining({ requestId: id, state: 'destroying' }),
        }),
      );
      expect(JSON.stringify(started.body)).not.toContain(launch.body.secrets.selfServiceGrantToken);

      // A second tear-down is a conflict.
      expect((await destroy(id, ALICE)).status).toBe(409);

      // The launched task redeems the destroy grant, not bound to a plan.
      const redeem = (patch: object) =>
        h.http
          .post('/api/self-service/grants/redeem')
          .set('authorization', SCAFFOLDER)
          .send({
            requestId: id,
            templateRef: body.templateRef,
            parametersHash: body.parametersHash,
            planHash: sha('the destroy plan'),
            taskId,
            token: launch.body.secrets.selfServiceGrantToken,
            ...patch,
          });
      expect((await redeem({})).status).toBe(409); // claimed as an apply
      expect((await redeem({ purpose: 'destroy' })).status).toBe(200);
      expect((await redeem({ purpose: 'destroy' })).status).toBe(409);

      const destroyed = await h.http
        .post(`/api/self-service/requests/${id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'destroyed', taskId });
      expect(destroyed.status).toBe(200);
      expect(destroyed.body.state).toBe('destroyed');
    });

    it('lets an admin outside the team tear it down', async () => {
      const { id } = await succeededRequest();
      h.setPolicy(() => ({ result: AuthorizeResult.ALLOW }));
      const res = await destroy(id, MALLORY);
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('destroying');
    });

    it('refuses requests that are not succeeded', async () => {
      const body = requestBody();
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      const res = await destroy(created.body.request.id, ALICE);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('only succeeded requests can be destroyed');
    });

    it('keeps the resource (back to succeeded, still live usage) when the tear-down cannot be launched', async () => {
      // The template in the catalog has other steps than the request was made
      // with (the backend records the hash of the catalog's steps itself).
      const { id } = await succeededRequest();
      await knex('requests')
        .where({ id })
        .update({ template_steps_hash: sha('older steps') });
      const launchesBefore = h.launches.length;
      const res = await destroy(id, ALICE);
      expect(res.status).toBe(200);
      expect(h.launches).toHaveLength(launchesBefore);
      expect(res.body.state).toBe('succeeded');
      expect(res.body.stateReason).toContain('could not start the tear-down');
      expect(res.body.canDestroy).toBe(true);
    });
  });
});
