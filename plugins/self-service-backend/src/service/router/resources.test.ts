import { mockCredentials } from '@backstage/backend-test-utils';
import { as, startHarness, type TestHarness } from '../../__testUtils__/backend';
import { ALICE, TEAM, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';
const SCAFFOLDER = as.service('plugin:scaffolder');
const CATALOG = as.service('plugin:catalog');

describe('GET /resources', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
    });

    /** Records an auto-approved request through the API and applies it. */
    async function provision(parameters: Record<string, unknown>) {
      const body = requestBody({
        parameters,
        approvalPolicy: { stages: [] },
        category: 'database',
      });
      const created = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(created.status).toBe(201);
      const id = created.body.request.id as string;
      const redeemed = await h.http
        .post(`${API}/grants/redeem`)
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
      return { id, taskId: body.taskId };
    }

    it('lists live resources, with their outputs, to the catalog', async () => {
      const applied = await provision({ name: 'orders-db', size: 'small' });
      const done = await h.http
        .post(`${API}/requests/${applied.id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: applied.taskId, outputs: { port: 5432, tls: true } });
      expect(done.status).toBe(200);
      const stillApplying = await provision({ name: 'not-yet' });

      const res = await h.http.get(`${API}/resources`).set('authorization', CATALOG);
      expect(res.status).toBe(200);
      const ids = res.body.map((r: { requestId: string }) => r.requestId);
      expect(ids).not.toContain(stillApplying.id);
      expect(res.body.find((r: { requestId: string }) => r.requestId === applied.id)).toEqual({
        requestId: applied.id,
        templateRef: 'template:default/postgres-database',
        type: 'database',
        name: 'orders-db',
        team: TEAM,
        environment: 'dev',
        tags: ['database', 'postgres-database'],
        outputs: { port: 5432, tls: true },
        // The dev environment's TTL, which the backend applies itself.
        expiresAt: expect.any(String),
      });
    });

    it("narrows to one request's resource with ?requestId=, and to none when it is not live", async () => {
      const applied = await provision({ name: 'one-db' });
      const done = await h.http
        .post(`${API}/requests/${applied.id}/status`)
        .set('authorization', SCAFFOLDER)
        .send({ state: 'succeeded', taskId: applied.taskId });
      expect(done.status).toBe(200);
      const stillApplying = await provision({ name: 'one-not-yet' });

      const one = await h.http
        .get(`${API}/resources`)
        .query({ requestId: applied.id.toUpperCase() })
        .set('authorization', CATALOG);
      expect(one.status).toBe(200);
      expect(one.body).toEqual([
        expect.objectContaining({ requestId: applied.id, name: 'one-db' }),
      ]);

      const none = await h.http
        .get(`${API}/resources`)
        .query({ requestId: stillApplying.id })
        .set('authorization', CATALOG);
      expect(none.status).toBe(200);
      expect(none.body).toEqual([]);
    });

    it.each([
      ['not a uuid', '?requestId=orders-db'],
      ['empty', '?requestId='],
      ['given twice', '?requestId=a&requestId=b'],
    ])('refuses a requestId that is %s with a 400 naming it', async (_label, query) => {
      const res = await h.http.get(`${API}/resources${query}`).set('authorization', CATALOG);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^requestId: /);
    });

    it.each([
      ['a user', as.user(ALICE), 403],
      ['the scaffolder', SCAFFOLDER, 403],
      ['another service', as.service('plugin:search'), 403],
      ['nobody', mockCredentials.none.header(), 401],
    ])('refuses %s', async (_label, auth, status) => {
      const res = await h.http.get(`${API}/resources`).set('authorization', auth);
      expect(res.status).toBe(status);
      expect(res.body).not.toBeInstanceOf(Array);
    });
  });
});
