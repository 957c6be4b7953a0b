import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  as,
  startHarness,
  type TestHarness,
} from '../../__testUtils__/backend';
import {
  ALICE,
  BOB,
  CAROL,
  FINANCE,
  LEADS,
  MALLORY,
  requestBody,
  TEAM,
} from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';
const DAVE = 'user:default/dave'; // in team-a-leads only

/**
 * A team's budget and quota (`GET /teams/:ref/usage`, and `POST /estimate`
 * given a team) are for its members, its approvers and admins only.
 */
describe('reading a team usage', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let admins: string[] = [];
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
      h.setPolicy((name, user) =>
        name === 'self-service.admin' && !admins.includes(user!)
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
    });
    afterAll(() => h?.stop());
    afterEach(() => {
      admins = [];
    });

    const usage = (user: string, team = TEAM) =>
      h.http
        .get(`${API}/teams/${encodeURIComponent(team)}/usage`)
        .set('authorization', as.user(user));
    const estimate = (user: string, team = TEAM) =>
      h.http
        .post(`${API}/estimate`)
        .set('authorization', as.user(user))
        .send({
          templateRef: 'template:default/postgres-database',
          parameters: {},
          team,
        });

    it('lets a member read it, in any spelling of the ref', async () => {
      const res = await usage(ALICE);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ team: TEAM, budget: { limit: 1000 } });
      expect((await usage(ALICE, 'Group:Default/Team-A')).status).toBe(200);
      const priced = await estimate(ALICE);
      expect(priced.status).toBe(200);
      expect(priced.body.usage).toMatchObject({ team: TEAM });
    });

    it('refuses an outsider, saying why, and prices without a team for anybody', async () => {
      const res = await usage(MALLORY);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toBe(
        `ref: ${MALLORY} may not read the budget and quota of ${TEAM}: only its members, its approvers and self-service admins may`,
      );
      const priced = await estimate(MALLORY);
      expect(priced.status).toBe(403);
      expect(priced.body.error.message).toContain(
        `team: ${MALLORY} may not read the budget`,
      );
      const anonymous = await h.http
        .post(`${API}/estimate`)
        .set('authorization', as.user(MALLORY))
        .send({
          templateRef: 'template:default/postgres-database',
          parameters: {},
        });
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.usage).toBeUndefined();
    });

    it("lets an approver of the team's requests read it, once a request names their group", async () => {
      expect((await usage(CAROL)).status).toBe(403);
      expect((await estimate(CAROL)).status).toBe(403);
      expect((await usage(DAVE)).status).toBe(403);
      for (const stage of [
        { name: 'finance', groups: [FINANCE], quorum: 1 },
        { name: 'team-lead', groups: [LEADS], quorum: 1 },
      ]) {
        const created = await h.http
          .post(`${API}/requests`)
          .set('authorization', as.scaffolderFor(ALICE))
          .send(requestBody({ approvalPolicy: { stages: [stage] } }));
        expect(created.status).toBe(201);
      }
      expect((await usage(CAROL)).status).toBe(200);
      expect((await estimate(CAROL)).status).toBe(200);
      expect((await usage(DAVE)).status).toBe(200);
      expect((await usage(BOB)).status).toBe(200);
      // Approving for team-a does not open team-b.
      expect((await usage(CAROL, 'group:default/team-b')).status).toBe(403);
      expect((await usage(MALLORY)).status).toBe(403);
    });

    it('lets an admin read any team', async () => {
      admins = [MALLORY];
      expect((await usage(MALLORY)).status).toBe(200);
      expect((await estimate(MALLORY)).status).toBe(200);
      expect((await usage(MALLORY, 'group:default/team-b')).status).toBe(200);
    });
  });
});
