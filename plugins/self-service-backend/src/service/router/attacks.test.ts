import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { selfServiceRequestReadPermission } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { as, groups, startHarness, type TestHarness, USERS } from '../../__testUtils__/backend';
import { ALICE, BOB, MALLORY, OTHER_TEAM, requestBody, sha } from '../../__testUtils__/fixtures';
import { createTestDatabases, snapshot } from '../../__testUtils__/store';
import {
  createSelfServiceRequestConditionalDecision,
  selfServiceRequestConditions,
} from '../permissions';

jest.setTimeout(60_000);

const API = '/api/self-service';
const SCAFFOLDER = as.service('plugin:scaffolder');

/**
 * Each attack gets the right error and leaves the stored request exactly as
 * it was.
 */
describe('attacks through the API', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      h = await startHarness({ knex, entities: groups('100000', '1000') });
    });
    afterEach(() => h.setPolicy(undefined));

    async function create(patch: Parameters<typeof requestBody>[0] = {}) {
      const body = requestBody(patch);
      const res = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(body);
      expect(res.status).toBe(201);
      return { body, id: res.body.request.id as string, grant: res.body.grant };
    }

    async function expectRefused(
      id: string,
      call: () => Promise<{ status: number; body: any }>,
      status: number,
      message: string,
    ) {
      const before = await snapshot(knex, id);
      const res = await call();
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
      expect(await snapshot(knex, id)).toEqual(before);
    }

    const decide = (id: string, user: string, decision = 'approve') =>
      h.http
        .post(`${API}/requests/${id}/decisions`)
        .set('authorization', as.user(user))
        .send({ decision, comment: 'because' });

    it('refuses self-approval', async () => {
      const { id } = await create();
      await expectRefused(id, () => decide(id, ALICE), 403, 'own request');
    });

    it('refuses an outsider deciding', async () => {
      const { id } = await create();
      await expectRefused(id, () => decide(id, MALLORY), 403, 'only members of');
    });

    it('refuses deciding twice and deciding a request that is not pending', async () => {
      const { id } = await create({
        approvalPolicy: {
          stages: [{ name: 'leads', groups: ['group:default/team-a-leads'], quorum: 2 }],
        },
      });
      expect((await decide(id, BOB)).status).toBe(200);
      await expectRefused(id, () => decide(id, BOB), 409, 'already decided');
      expect((await decide(id, 'user:default/dave', 'reject')).status).toBe(200);
      await expectRefused(id, () => decide(id, 'user:default/dave'), 409, 'request is rejected');
    });

    it('refuses a decision the permission policy forbids, though the engine would allow it', async () => {
      const { id } = await create();
      h.setPolicy(name =>
        name === 'self-service.request.decide'
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
      await expectRefused(id, () => decide(id, BOB), 403, 'permission policy');
    });

    it('refuses a user recording a request directly, or for a team they are not in', async () => {
      const direct = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.user(ALICE))
        .send(requestBody({ approvalPolicy: { stages: [] } }));
      expect(direct.status).toBe(403);
      expect(direct.body.error.message).toContain('recorded by the scaffolder');
      const foreign = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(requestBody({ team: OTHER_TEAM }));
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toContain('team: user:default/alice is not a member');
      const [{ n }] = await knex('requests').where({ team: OTHER_TEAM }).count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    describe('grant redemption', () => {
      /** A request approved on creation (no stages), and a redeem that claims its grant. */
      async function autoApproved(bodyPatch: Parameters<typeof requestBody>[0] = {}) {
        const { body, id, grant } = await create({ approvalPolicy: { stages: [] }, ...bodyPatch });
        const claim = {
          requestId: id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash,
          taskId: body.taskId,
          token: grant.token,
        };
        const redeem = (patch: object = {}, auth = SCAFFOLDER) =>
          h.http
            .post(`${API}/grants/redeem`)
            .set('authorization', auth)
            .send({ ...claim, ...patch });
        return { id, redeem };
      }

      it('refuses a user, and a service other than the scaffolder', async () => {
        const { id, redeem } = await autoApproved();
        await expectRefused(id, () => redeem({}, as.user(ALICE)), 403, "does not allow 'user'");
        await expectRefused(
          id,
          () => redeem({}, as.service('plugin:catalog')),
          403,
          'Only plugin:scaffolder',
        );
      });

      it.each([
        ['another plan', { planHash: sha('drifted') }, 403, 'planHash'],
        ['other parameters', { parametersHash: sha('x') }, 403, 'parametersHash'],
        ['another task', { taskId: 'task-other' }, 403, 'taskId'],
        ['a wrong token', { token: 'y'.repeat(43) }, 403, 'token does not match'],
        ['no token', { token: undefined }, 400, 'token: a grant token is required'],
      ])('refuses %s', async (_label, patch, status, message) => {
        const { id, redeem } = await autoApproved();
        await expectRefused(id, () => redeem(patch), status, message);
      });

      it('refuses a plan file other than the one the creating task recorded', async () => {
        const { id, redeem } = await autoApproved({ planFileDigest: sha('the saved plan file') });
        await expectRefused(
          id,
          () => redeem({ planFileDigest: sha('swapped') }),
          403,
          'planFileDigest',
        );
        await expectRefused(id, () => redeem({}), 403, 'planFileDigest');
        expect((await redeem({ planFileDigest: sha('the saved plan file') })).status).toBe(200);
      });

      it('refuses redeeming twice', async () => {
        const { id, redeem } = await autoApproved();
        expect((await redeem()).status).toBe(200);
        await expectRefused(id, () => redeem(), 409, 'already redeemed');
      });
    });

    describe('reading with a conditional policy (own team only)', () => {
      beforeEach(() =>
        h.setPolicy((name, user) =>
          name === selfServiceRequestReadPermission.name
            ? createSelfServiceRequestConditionalDecision(
                selfServiceRequestReadPermission,
                selfServiceRequestConditions.isTeamMember({ claims: USERS[user!] ?? [] }),
              )
            : { result: AuthorizeResult.ALLOW },
        ),
      );

      it("refuses another team's request and filters lists", async () => {
        const { id } = await create();
        const denied = await h.http
          .get(`${API}/requests/${id}`)
          .set('authorization', as.user(MALLORY));
        expect(denied.status).toBe(403);
        expect(denied.body.error.name).toBe('NotAllowedError');

        const own = await h.http.get(`${API}/requests/${id}`).set('authorization', as.user(ALICE));
        expect(own.status).toBe(200);

        const list = await h.http.get(`${API}/requests`).set('authorization', as.user(MALLORY));
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([]);
        const aliceList = await h.http
          .get(`${API}/requests?limit=100`)
          .set('authorization', as.user(ALICE));
        expect(aliceList.body.items.map((r: { id: string }) => r.id)).toContain(id);
      });
    });
  });
});
