import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { selfServiceRequestReadPermission } from '@internal/plugin-self-service-common';
import { as, startHarness, type TestHarness, USERS } from '../../__testUtils__/backend';
import { ALICE, CAROL, FINANCE, LEADS, MALLORY, requestBody } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';
import {
  createSelfServiceRequestConditionalDecision,
  selfServiceRequestConditions as when,
} from '../permissions';

jest.setTimeout(60_000);

const API = '/api/self-service';

/**
 * The policy the example organisation can adopt: people read their own
 * requests, their team's, and the ones they are asked to approve.
 */
describe('reading as an approver (IS_APPROVER)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    let id: string;
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
      h.setPolicy((name, user) => {
        if (name !== selfServiceRequestReadPermission.name) {
          return { result: AuthorizeResult.ALLOW };
        }
        const claims = USERS[user!] ?? [user!];
        return createSelfServiceRequestConditionalDecision(selfServiceRequestReadPermission, {
          anyOf: [
            when.isRequester({ claims: [user!] }),
            when.isTeamMember({ claims }),
            when.isApprover({ claims }),
          ],
        });
      });
      const created = await h.http
        .post(`${API}/requests`)
        .set('authorization', as.scaffolderFor(ALICE))
        .send(
          requestBody({
            approvalPolicy: {
              stages: [
                { name: 'lead', groups: [LEADS], quorum: 1 },
                { name: 'finance', groups: [FINANCE], quorum: 1 },
              ],
            },
          }),
        );
      if (created.status !== 201) {
        throw new Error(`could not record the request: ${JSON.stringify(created.body)}`);
      }
      id = created.body.request.id;
    });

    const detail = (user: string) =>
      h.http.get(`${API}/requests/${id}`).set('authorization', as.user(user));
    const listed = async (user: string) => {
      const res = await h.http.get(`${API}/requests?limit=100`).set('authorization', as.user(user));
      expect(res.status).toBe(200);
      return res.body.items.map((r: { id: string }) => r.id);
    };

    it('lets an approver from another team read and list the request', async () => {
      expect(USERS[CAROL]).not.toContain('group:default/team-a');
      const res = await detail(CAROL);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(id);
      expect(await listed(CAROL)).toContain(id);
    });

    it('refuses an outsider, in the detail and the list', async () => {
      const res = await detail(MALLORY);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(await listed(MALLORY)).not.toContain(id);
    });

    it('still lets the requester read it', async () => {
      expect((await detail(ALICE)).status).toBe(200);
      expect(await listed(ALICE)).toContain(id);
    });
  });
});
