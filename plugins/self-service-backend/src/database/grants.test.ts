import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ALICE,
  BOB,
  DAY,
  HOUR,
  LEADS,
  TEAM,
  limits,
  requestBody,
  sha,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore, snapshot } from '../__testUtils__/store';

jest.setTimeout(60_000);

const now = new Date('2026-01-10T10:00:00.000Z');
const later = new Date(now.getTime() + HOUR);
const base = {
  requester: ALICE,
  now,
  decisionTimeoutMs: 7 * DAY,
  grantTtlMs: 24 * HOUR,
};
const SCAFFOLDER = 'plugin:scaffolder';

describe('grants in the store', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    /** A request approved on creation (no stages), and a redeem that claims its grant. */
    async function autoApproved(bodyPatch: Parameters<typeof requestBody>[0] = {}) {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] }, ...bodyPatch });
      const { request, grant } = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      const claim = {
        requestId: request.id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash!,
        taskId: body.taskId,
        token: grant!.token,
      };
      const redeem = (
        patch: Partial<typeof claim> & { planFileDigest?: string } = {},
        at = later,
      ) => store.redeemGrant({ ...claim, ...patch }, { actor: SCAFFOLDER, now: at });
      return { knex, store, body, request, redeem };
    }

    it('redeems once for the creating task and moves the request to applying', async () => {
      const { knex, store, request, redeem } = await autoApproved();
      const { grantId, request: applying } = await redeem();
      expect(applying.state).toBe('applying');
      const [grant] = await knex('grants').where({ id: grantId });
      expect(grant.consumed_by_task).toBe(request.taskIds[0]);
      expect(grant.consumed_at).not.toBeNull();

      const before = await snapshot(knex, request.id);
      await expect(redeem()).rejects.toThrow(ConflictError);
      await expect(redeem()).rejects.toThrow('already redeemed');
      expect(await snapshot(knex, request.id)).toEqual(before);

      // Applying still reserves; success turns the reservation into live use.
      expect(await store.getUsage(TEAM)).toMatchObject({
        reservedCount: 1,
        liveCount: 0,
      });
      await store.transition({
        id: request.id,
        from: 'applying',
        to: 'succeeded',
        actor: SCAFFOLDER,
        action: 'applied',
        now: later,
      });
      expect(await store.getUsage(TEAM)).toEqual({
        reservedCount: 0,
        reservedMonthly: 0,
        liveCount: 1,
        liveMonthly: 100,
      });
    });

    it.each([
      ['a wrong token', { token: 'x'.repeat(43) }, 'token does not match'],
      ['another plan', { planHash: sha('other plan') }, 'planHash: the plan differs'],
      ['other parameters', { parametersHash: sha('other') }, 'parametersHash'],
      ['another template', { templateRef: 'template:default/other' }, 'templateRef'],
      ['another task', { taskId: 'task-evil' }, 'taskId: the grant is bound to another'],
    ])('refuses %s and changes nothing', async (_label, patch, message) => {
      const { knex, request, redeem } = await autoApproved();
      const before = await snapshot(knex, request.id);
      const attempt = redeem(patch);
      await expect(attempt).rejects.toThrow(NotAllowedError);
      await expect(attempt).rejects.toThrow(message);
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    describe('bound to the plan file of the creating task', () => {
      const digest = sha('plan file bytes');
      const boundToFile = () => autoApproved({ planFileDigest: digest });

      it('stores the digest and redeems with that file', async () => {
        const { knex, request, redeem } = await boundToFile();
        const [row] = await knex('grants').where({ request_id: request.id });
        expect(row.plan_file_digest).toBe(digest);
        const { request: applying } = await redeem({ planFileDigest: digest });
        expect(applying.state).toBe('applying');
      });

      it.each([
        ['another plan file', { planFileDigest: sha('tampered plan file') }],
        ['no plan file digest', {}],
      ])('refuses %s and changes nothing', async (_label, patch) => {
        const { knex, request, redeem } = await boundToFile();
        const before = await snapshot(knex, request.id);
        const attempt = redeem(patch);
        await expect(attempt).rejects.toThrow(NotAllowedError);
        await expect(attempt).rejects.toThrow('planFileDigest: the plan file is not the one');
        expect(await snapshot(knex, request.id)).toEqual(before);
      });

      it('binds the new plan file of a retried task, not the old one', async () => {
        const { store, body, request, redeem } = await boundToFile();
        const retried = sha('plan file of the retry');
        const again = await store.createRequest({
          ...base,
          body: { ...body, planFileDigest: retried },
          limits: limits(),
        });
        expect(again.request.id).toBe(request.id);
        const token = again.grant!.token;
        // The retry's grant binds the retry's plan file, not the first one.
        await expect(redeem({ token, planFileDigest: digest })).rejects.toThrow('planFileDigest');
        const { request: applying } = await redeem({ token, planFileDigest: retried });
        expect(applying.state).toBe('applying');
      });
    });

    it('ignores a plan file digest when the grant binds none', async () => {
      const { redeem } = await autoApproved();
      const { request: applying } = await redeem({
        planFileDigest: sha('any file'),
      });
      expect(applying.state).toBe('applying');
    });

    it('refuses an expired grant', async () => {
      const { knex, request, redeem } = await autoApproved();
      const before = await snapshot(knex, request.id);
      await expect(redeem({}, new Date(now.getTime() + 25 * HOUR))).rejects.toThrow('expired');
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('refuses a grant whose request is no longer approved, leaving it unconsumed', async () => {
      const { knex, store, request, redeem } = await autoApproved();
      await store.transition({
        id: request.id,
        from: 'approved',
        to: 'expired',
        actor: 'sweeper',
        action: 'expired',
        now: later,
      });
      await expect(redeem()).rejects.toThrow('is expired; its grant can no longer be redeemed');
      const [grant] = await knex('grants').where({ request_id: request.id });
      expect(grant.consumed_at).toBeNull();
    });

    it('binds a launched grant to the launched task and its token', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({
        approvalPolicy: {
          stages: [{ name: 'lead', groups: [LEADS], quorum: 1 }],
        },
      });
      const { request } = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      const { grant } = await store.decide({
        id: request.id,
        decider: { userEntityRef: BOB, ownershipEntityRefs: [LEADS] },
        decision: 'approve',
        now: later,
        grantTtlMs: 24 * HOUR,
      });
      const launched = await store.recordLaunch({
        id: request.id,
        taskId: 'task-launched',
        actor: 'plugin:self-service',
        now: later,
      });
      expect(launched).toMatchObject({
        state: 'applying',
        taskIds: [body.taskId, 'task-launched'],
      });
      const claim = {
        requestId: request.id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash!,
        token: grant!.token,
      };
      // The original task, which knows the request id, cannot apply.
      await expect(
        store.redeemGrant({ ...claim, taskId: body.taskId }, { actor: 'x', now: later }),
      ).rejects.toThrow('bound to another scaffolder task');
      const ok = await store.redeemGrant(
        { ...claim, taskId: 'task-launched' },
        { actor: 'plugin:scaffolder', now: later },
      );
      expect(ok.request.state).toBe('applying');
      const events = await knex('events').where({ request_id: request.id }).orderBy('seq');
      expect(events.map(e => e.action).slice(-2)).toEqual(['launched', 'grant-redeemed']);
    });

    it('lets the launched task redeem before its id was recorded, then binds it', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody();
      const { request } = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      const { grant } = await store.decide({
        id: request.id,
        decider: { userEntityRef: BOB, ownershipEntityRefs: [LEADS] },
        decision: 'approve',
        now: later,
        grantTtlMs: 24 * HOUR,
      });
      const redeemed = await store.redeemGrant(
        {
          requestId: request.id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash!,
          taskId: 'task-fast',
          token: grant!.token,
        },
        { actor: 'plugin:scaffolder', now: later },
      );
      expect(redeemed.request.state).toBe('applying');
      const recorded = await store.recordLaunch({
        id: request.id,
        taskId: 'task-fast',
        actor: 'plugin:self-service',
        now: later,
      });
      expect(recorded.taskIds).toEqual([body.taskId, 'task-fast']);
      const [row] = await knex('grants').where({ request_id: request.id });
      expect(row.task_id).toBe('task-fast');
    });
  });
});
