import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ALICE,
  BOB,
  CAROL,
  DAY,
  FINANCE,
  HOUR,
  LEADS,
  MALLORY,
  TEAM,
  limits,
  requestBody,
} from '../__testUtils__/fixtures';
import {
  createTestDatabases,
  createTestStore,
  snapshot,
} from '../__testUtils__/store';

jest.setTimeout(60_000);

const now = new Date('2026-01-10T10:00:00.000Z');
const later = new Date(now.getTime() + HOUR);
const base = {
  requester: ALICE,
  now,
  decisionTimeoutMs: 7 * DAY,
  grantTtlMs: 24 * HOUR,
};
const bob = { userEntityRef: BOB, ownershipEntityRefs: [BOB, LEADS, TEAM] };
const dave = {
  userEntityRef: 'user:default/dave',
  ownershipEntityRefs: [LEADS],
};
const carol = { userEntityRef: CAROL, ownershipEntityRefs: [CAROL, FINANCE] };
const alice = {
  userEntityRef: ALICE,
  ownershipEntityRefs: [ALICE, TEAM, LEADS],
};
const mallory = { userEntityRef: MALLORY, ownershipEntityRefs: [MALLORY] };

const twoStages = {
  stages: [
    { name: 'team-lead', groups: [LEADS], quorum: 2 },
    { name: 'finance', groups: [FINANCE], quorum: 1 },
  ],
};

describe('decisions in the store', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(patch: Parameters<typeof requestBody>[0] = {}) {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request } = await store.createRequest({
        ...base,
        body: requestBody(patch),
        limits: limits(),
      });
      const decide = (
        decider: typeof bob,
        decision: 'approve' | 'reject' = 'approve',
        at = later,
      ) =>
        store.decide({
          id: request.id,
          decider,
          decision,
          comment: decision === 'reject' ? 'too big' : undefined,
          now: at,
          grantTtlMs: 24 * HOUR,
        });
      return { knex, store, request, decide };
    }

    it('shows a request in the inbox of the stage it waits on, and of nobody once decided', async () => {
      const { store, request, decide } = await setup({
        approvalPolicy: twoStages,
      });
      const inboxOf = async (who: typeof bob) =>
        (await store.listInbox({ ...who, now: later, limit: 25 })).items.map(
          r => r.id,
        );
      expect(await inboxOf(dave)).toEqual([request.id]);
      expect(await inboxOf(carol)).toEqual([]);
      await decide(bob);
      // Bob decided his stage; Dave still may.
      expect(await inboxOf(bob)).toEqual([]);
      expect(await inboxOf(dave)).toEqual([request.id]);
      await decide(dave);
      expect(await inboxOf(dave)).toEqual([]);
      expect(await inboxOf(carol)).toEqual([request.id]);
      await decide(carol, 'reject');
      expect(await inboxOf(carol)).toEqual([]);
    });

    it('reaches the members of a group the stage names in another case (refs compare case-insensitively)', async () => {
      const { store, request, decide } = await setup({
        approvalPolicy: {
          stages: [
            { name: 'dba', groups: ['group:default/DBA-Team'], quorum: 1 },
          ],
        },
      });
      // The catalog gives ownership refs in lower case.
      const dina = {
        userEntityRef: 'user:default/dina',
        ownershipEntityRefs: ['user:default/dina', 'group:default/dba-team'],
      };
      const inbox = await store.listInbox({ ...dina, now: later, limit: 25 });
      expect(inbox.items.map(r => r.id)).toEqual([request.id]);
      const { outcome } = await decide(dina);
      expect(outcome).toEqual({ kind: 'approved' });
    });

    it('walks ordered stages with quorum and mints one grant at the end', async () => {
      const { knex, store, request, decide } = await setup({
        approvalPolicy: twoStages,
      });

      const first = await decide(bob);
      expect(first.outcome).toEqual({
        kind: 'waiting',
        approvals: 1,
        quorum: 2,
      });
      expect(first.request).toMatchObject({
        state: 'pending_approval',
        currentStage: 0,
      });

      const second = await decide(dave);
      expect(second.outcome).toEqual({ kind: 'advanced', nextStage: 1 });
      expect(second.request.currentStage).toBe(1);
      expect(second.grant).toBeUndefined();

      const last = await decide(carol);
      expect(last.outcome).toEqual({ kind: 'approved' });
      expect(last.request).toMatchObject({
        state: 'approved',
        currentStage: null,
      });
      expect(last.grant?.token).toEqual(expect.any(String));
      const grants = await knex('grants').where({ request_id: request.id });
      expect(grants).toHaveLength(1);
      expect(grants[0].task_id).toBeNull();

      const detail = await store.getRequestDetail(request.id);
      expect(detail!.decisions.map(d => [d.approver, d.stage]).sort()).toEqual(
        [
          [CAROL, 1],
          [BOB, 0],
          ['user:default/dave', 0],
        ].sort(),
      );
      expect(detail!.events.map(e => e.action)).toEqual([
        'created',
        'submitted-for-approval',
        'approved-stage-0',
        'approved-stage-0',
        'approved-stage-1',
      ]);
      expect((await store.getUsage(TEAM)).reservedMonthly).toBe(100);
    });

    it('rejects on a rejection in the current stage and releases the reservation', async () => {
      const { store, decide } = await setup({ approvalPolicy: twoStages });
      await decide(bob);
      const rejected = await decide(dave, 'reject');
      expect(rejected.outcome).toEqual({ kind: 'rejected' });
      expect(rejected.request).toMatchObject({
        state: 'rejected',
        stateReason: 'too big',
      });
      expect(await store.getUsage(TEAM)).toMatchObject({
        reservedCount: 0,
        reservedMonthly: 0,
      });
    });

    it.each([
      [
        'the requester approving their own request',
        alice,
        NotAllowedError,
        'own request',
      ],
      [
        'an outsider',
        mallory,
        NotAllowedError,
        'only members of group:default/team-a-leads',
      ],
      [
        'a later-stage approver before their stage',
        carol,
        NotAllowedError,
        'only members',
      ],
    ])(
      'refuses %s and changes nothing',
      async (_label, decider, type, message) => {
        const { knex, request, decide } = await setup({
          approvalPolicy: twoStages,
        });
        const before = await snapshot(knex, request.id);
        const attempt = decide(decider);
        await expect(attempt).rejects.toThrow(type);
        await expect(attempt).rejects.toThrow(message);
        expect(await snapshot(knex, request.id)).toEqual(before);
      },
    );

    it('refuses deciding twice and changes nothing', async () => {
      const { knex, request, decide } = await setup({
        approvalPolicy: twoStages,
      });
      await decide(bob);
      const before = await snapshot(knex, request.id);
      await expect(decide(bob)).rejects.toThrow(ConflictError);
      await expect(decide(bob, 'reject')).rejects.toThrow(
        'has already decided',
      );
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('refuses deciding a request that is not pending', async () => {
      const { knex, request, decide } = await setup();
      await decide(bob);
      const before = await snapshot(knex, request.id);
      await expect(decide(dave)).rejects.toThrow(
        'request is approved, only pending_approval requests can be decided',
      );
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('refuses a decision after the deadline', async () => {
      const { knex, request, decide } = await setup();
      const before = await snapshot(knex, request.id);
      await expect(
        decide(bob, 'approve', new Date(now.getTime() + 8 * DAY)),
      ).rejects.toThrow('deadline');
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('lets a requester approve outside production only when the policy says so', async () => {
      const selfOk = {
        stages: [{ name: 'team-lead', groups: [LEADS], quorum: 1 }],
        allowSelfApprovalOutsideProduction: true,
      };
      const dev = await setup({ approvalPolicy: selfOk, environment: 'dev' });
      expect((await dev.decide(alice)).request.state).toBe('approved');

      const prod = await setup({
        approvalPolicy: selfOk,
        environment: 'production',
      });
      await expect(prod.decide(alice)).rejects.toThrow(NotAllowedError);
    });

    it('says NotFound for an unknown request', async () => {
      const { store } = await setup();
      await expect(
        store.decide({
          id: '00000000-0000-4000-8000-000000000000',
          decider: bob,
          decision: 'approve',
          now,
          grantTtlMs: HOUR,
        }),
      ).rejects.toThrow(NotFoundError);
    });
  });
});
