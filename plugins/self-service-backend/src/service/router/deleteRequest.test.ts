import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { as, startHarness, type TestHarness } from '../../__testUtils__/backend';
import { ALICE, BOB, MALLORY, TEAM, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const ADMIN = 'user:default/dave';

/** `DELETE /requests/:id`, on each database. */
describe('deleting request records through the API', () => {
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
      h.audits.length = 0;
      // Dave is the only admin.
      h.setPolicy((name, user) =>
        name === 'self-service.admin' && user !== ADMIN
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
    });

    async function pendingRequest(patch: Parameters<typeof requestBody>[0] = {}) {
      const created = await h.http
        .post('/api/self-service/requests')
        .set('authorization', as.scaffolderFor(ALICE))
        .send(requestBody({ environment: 'production', ...patch }));
      expect(created.status).toBe(201);
      expect(created.body.request.state).toBe('pending_approval');
      return created.body.request.id as string;
    }

    const remove = (id: string, user: string) =>
      h.http.delete(`/api/self-service/requests/${id}`).set('authorization', as.user(user));
    const usage = async () =>
      (await h.http.get(`/api/self-service/teams/${encodeURIComponent(TEAM)}/usage`).set('authorization', as.user(ALICE))).body;

    it("tells the requester's page it may delete a pending request, and nobody else's", async () => {
      const id = await pendingRequest();
      const detail = (user: string) =>
        h.http.get(`/api/self-service/requests/${id}`).set('authorization', as.user(user));
      expect((await detail(ALICE)).body.canDelete).toBe(true);
      expect((await detail(BOB)).body.canDelete).toBe(false);
    });

    it('lets the requester delete a pending request: 204, reservation released, events kept, audited', async () => {
      const before = await usage();
      const id = await pendingRequest();
      const reserved = await usage();
      expect(JSON.stringify(reserved)).not.toEqual(JSON.stringify(before));

      const refused = await remove(id, MALLORY);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/requester or an admin/);
      const teamLead = await remove(id, BOB);
      expect(teamLead.status).toBe(403);

      const deleted = await remove(id, ALICE);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await h.http.get(`/api/self-service/requests/${id}`).set('authorization', as.user(ALICE))).status).toBe(404);
      expect(await usage()).toEqual(before);
      for (const table of ['decisions', 'grants', 'request_approvers', 'request_notices']) {
        expect(await knex(table).where({ request_id: id })).toEqual([]);
      }
      const events = await knex('events').where({ request_id: id }).orderBy('seq');
      expect(events.map(e => e.action)).toEqual(['created', 'submitted-for-approval', 'deleted']);
      expect(events[events.length - 1]).toMatchObject({
        actor: ALICE,
        from_state: 'pending_approval',
        to_state: null,
        action: 'deleted',
      });
      expect(h.audits.filter(a => a.eventId === 'request-delete')).toEqual([
        expect.objectContaining({ outcome: 'fail', meta: { requestId: id } }),
        expect.objectContaining({ outcome: 'fail', meta: { requestId: id } }),
        expect.objectContaining({ outcome: 'success', meta: { requestId: id } }),
      ]);

      expect((await remove(id, ALICE)).status).toBe(404);
    });

    it('lets an admin delete a rejected request, and refuses other states with 409 naming them', async () => {
      const rejectedId = await pendingRequest();
      const rejected = await h.http
        .post(`/api/self-service/requests/${rejectedId}/decisions`)
        .set('authorization', as.user(BOB))
        .send({ decision: 'reject', comment: 'no' });
      expect(rejected.body.state).toBe('rejected');
      expect((await remove(rejectedId, MALLORY)).status).toBe(403);
      expect((await remove(rejectedId, ADMIN)).status).toBe(204);

      const canceledId = await pendingRequest();
      await h.http
        .post(`/api/self-service/requests/${canceledId}/cancel`)
        .set('authorization', as.user(ALICE));
      const conflict = await remove(canceledId, ALICE);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.message).toBe(
        `Request ${canceledId} is canceled; only pending_approval or rejected requests can be deleted`,
      );
      expect((await h.http.get(`/api/self-service/requests/${canceledId}`).set('authorization', as.user(ALICE))).status).toBe(200);
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      expect((await remove('not-a-uuid', ALICE)).status).toBe(400);
      expect((await remove(crypto.randomUUID(), ADMIN)).status).toBe(404);
    });
  });
});
