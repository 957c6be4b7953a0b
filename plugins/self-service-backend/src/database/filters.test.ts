import { isApprover } from '../service/permissions';
import {
  ALICE,
  DAY,
  HOUR,
  limits,
  requestBody,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';
import type { RequestCriteria } from './filters';

jest.setTimeout(60_000);

const now = new Date('2026-03-01T10:00:00.000Z');
const base = {
  requester: ALICE,
  now,
  decisionTimeoutMs: 7 * DAY,
  grantTtlMs: 24 * HOUR,
};

const stage = (...groups: string[]) => ({ name: 's', groups, quorum: 1 });

describe('the approverGroup filter', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('matches whole refs of any stage, case-insensitively, with wildcard characters literal', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const create = async (...stages: Array<ReturnType<typeof stage>>) =>
        (
          await store.createRequest({
            ...base,
            body: requestBody({ approvalPolicy: { stages } }),
            limits: limits(),
          })
        ).request;
      const teamA = await create(
        stage('group:default/team_a'),
        stage('group:default/finance'),
      );
      const teamXa = await create(stage('group:default/teamxa'));
      const dba = await create(stage('group:default/DBA'));
      const none = await create();
      const all = [teamA, teamXa, dba, none];

      const matching = async (claims: string[]) => {
        const criteria = isApprover.toQuery({ claims }) as RequestCriteria;
        const page = await store.listRequests({ criteria, limit: 100 });
        const ids = page.items.map(r => r.id);
        // The query and the in-memory rule must agree on every request.
        for (const request of all) {
          expect([request.id, isApprover.apply(request, { claims })]).toEqual([
            request.id,
            ids.includes(request.id),
          ]);
        }
        return all.filter(r => ids.includes(r.id));
      };

      expect(await matching(['group:default/team_a'])).toEqual([teamA]);
      expect(await matching(['group:default/finance'])).toEqual([teamA]);
      expect(await matching(['group:default/dba'])).toEqual([dba]);
      expect(
        await matching(['GROUP:default/Team_A', 'group:default/teamxa']),
      ).toEqual([teamA, teamXa]);
      // `_` and `%` must not act as wildcards, and a part of a ref is no match.
      expect(await matching(['group:default/team%'])).toEqual([]);
      expect(await matching(['group:default/team_'])).toEqual([]);
      expect(await matching(['group:default/team'])).toEqual([]);
      expect(await matching(['%'])).toEqual([]);
      expect(
        await matching(['group:default/team_a|group:default/finance']),
      ).toEqual([]);
      expect(await matching([])).toEqual([]);

      // With a state as well (on SQLite the query then keeps off the state index).
      const criteria = isApprover.toQuery({
        claims: ['group:default/finance', 'group:default/teamxa'],
      }) as RequestCriteria;
      const inState = async (state: 'pending_approval' | 'approved') =>
        (
          await store.listRequests({ criteria, states: [state], limit: 100 })
        ).items.map(r => r.id);
      expect((await inState('pending_approval')).sort()).toEqual(
        [teamA.id, teamXa.id].sort(),
      );
      expect(await inState('approved')).toEqual([]);
    });
  });
});
