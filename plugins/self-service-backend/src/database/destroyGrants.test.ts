import { ConflictError, NotAllowedError } from '@backstage/errors';
import { ALICE, DAY, HOUR, TEAM, limits, requestBody, sha } from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore, snapshot } from '../__testUtils__/store';

jest.setTimeout(60_000);

const now = new Date('2026-01-10T10:00:00.000Z');
const later = new Date(now.getTime() + HOUR);
const base = { requester: ALICE, now, decisionTimeoutMs: 7 * DAY, grantTtlMs: 24 * HOUR };
const SCAFFOLDER = 'plugin:scaffolder';

describe('destroy grants in the store', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    /** An auto-approved request, applied and succeeded. */
    async function succeeded() {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const { request, grant } = await store.createRequest({ ...base, body, limits: limits() });
      const applyClaim = {
        requestId: request.id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash!,
        taskId: body.taskId,
        token: grant!.token,
      };
      await store.redeemGrant(applyClaim, { actor: SCAFFOLDER, now: later });
      await store.transition({
        id: request.id,
        from: 'applying',
        to: 'succeeded',
        actor: SCAFFOLDER,
        action: 'applied',
        now: later,
      });
      return { knex, store, request, body, applyClaim };
    }

    it('starts a tear-down once, with an event and a destroy grant not bound to a plan', async () => {
      const { knex, store, request } = await succeeded();
      const { request: destroying, grant } = await store.startDestroy({
        id: request.id,
        actor: ALICE,
        reason: 'no longer needed',
        now: later,
        grantTtlMs: HOUR,
      });
      expect(destroying.state).toBe('destroying');
      expect(grant.token.length).toBeGreaterThanOrEqual(43);
      const [row] = await knex('grants').where({ request_id: request.id, purpose: 'destroy' });
      expect(row).toMatchObject({ plan_hash: null, task_id: null, consumed_at: null });
      expect(row.token_hash).not.toContain(grant.token);
      const [event] = await knex('events')
        .where({ request_id: request.id, to_state: 'destroying' })
        .select('actor', 'reason', 'action');
      expect(event).toEqual({ actor: ALICE, reason: 'no longer needed', action: 'destroy-requested' });
      // A destroying request still counts as live until it is destroyed.
      expect(await store.getUsage(TEAM)).toMatchObject({ liveCount: 1 });

      const before = await snapshot(knex, request.id);
      await expect(
        store.startDestroy({ id: request.id, actor: ALICE, now: later, grantTtlMs: HOUR }),
      ).rejects.toThrow(ConflictError);
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('redeems the destroy grant once for the launched task, whatever the plan', async () => {
      const { knex, store, request, body, applyClaim } = await succeeded();
      const { grant } = await store.startDestroy({
        id: request.id,
        actor: ALICE,
        now: later,
        grantTtlMs: HOUR,
      });
      await store.recordDestroyLaunch({
        id: request.id,
        taskId: 'task-destroy',
        actor: 'plugin:self-service',
        now: later,
      });
      const claim = {
        ...applyClaim,
        planHash: sha('the destroy plan'),
        taskId: 'task-destroy',
        token: grant.token,
        purpose: 'destroy' as const,
      };
      // Bound to the launched task, template and parameters.
      await expect(
        store.redeemGrant({ ...claim, taskId: body.taskId }, { actor: SCAFFOLDER, now: later }),
      ).rejects.toThrow('bound to another scaffolder task');
      await expect(
        store.redeemGrant(
          { ...claim, parametersHash: sha('other') },
          { actor: SCAFFOLDER, now: later },
        ),
      ).rejects.toThrow('parametersHash');
      await expect(
        store.redeemGrant(claim, { actor: SCAFFOLDER, now: new Date(later.getTime() + 2 * HOUR) }),
      ).rejects.toThrow('expired');

      const { request: redeemed } = await store.redeemGrant(claim, { actor: SCAFFOLDER, now: later });
      expect(redeemed).toMatchObject({
        state: 'destroying',
        taskIds: [body.taskId, 'task-destroy'],
      });
      await expect(store.redeemGrant(claim, { actor: SCAFFOLDER, now: later })).rejects.toThrow(
        'already redeemed',
      );
      const [row] = await knex('grants').where({ request_id: request.id, purpose: 'destroy' });
      expect(row.consumed_by_task).toBe('task-destroy');
    });

    it('never redeems an apply grant for a tear-down, nor a destroy grant for an apply', async () => {
      const { knex, store, request, body, applyClaim } = await succeeded();
      // The apply grant was consumed; an unconsumed one must not work either.
      await knex('grants')
        .where({ request_id: request.id, purpose: 'apply' })
        .update({ consumed_at: null, consumed_by_task: null });
      const { grant } = await store.startDestroy({
        id: request.id,
        actor: ALICE,
        now: later,
        grantTtlMs: HOUR,
      });
      const before = await snapshot(knex, request.id);

      // The apply grant's token, claimed for a destroy.
      const asDestroy = store.redeemGrant(
        { ...applyClaim, purpose: 'destroy' },
        { actor: SCAFFOLDER, now: later },
      );
      await expect(asDestroy).rejects.toThrow(NotAllowedError);
      await expect(asDestroy).rejects.toThrow('token does not match');
      // The apply grant, claimed for an apply while destroying.
      await expect(
        store.redeemGrant(applyClaim, { actor: SCAFFOLDER, now: later }),
      ).rejects.toThrow('its apply grant cannot be redeemed');
      // The destroy grant's token, claimed for an apply.
      await expect(
        store.redeemGrant(
          { ...applyClaim, token: grant.token, taskId: body.taskId },
          { actor: SCAFFOLDER, now: later },
        ),
      ).rejects.toThrow(ConflictError);
      expect(await snapshot(knex, request.id)).toEqual(before);
    });

    it('voids the destroy grant when a tear-down is aborted, and redeems it only while destroying', async () => {
      const { knex, store, request, applyClaim } = await succeeded();
      const { grant } = await store.startDestroy({
        id: request.id,
        actor: ALICE,
        now: later,
        grantTtlMs: HOUR,
      });
      const restored = await store.abortDestroy({
        id: request.id,
        actor: SCAFFOLDER,
        action: 'launch-failed',
        reason: 'could not start the tear-down',
        now: later,
      });
      expect(restored.state).toBe('succeeded');
      const claim = { ...applyClaim, taskId: 'task-destroy', token: grant.token };
      await expect(
        store.redeemGrant({ ...claim, purpose: 'destroy' }, { actor: SCAFFOLDER, now: later }),
      ).rejects.toThrow('is succeeded; its destroy grant cannot be redeemed');
      const [row] = await knex('grants').where({ request_id: request.id, purpose: 'destroy' });
      // Voided: consumed, by no task.
      expect(row.consumed_at).not.toBeNull();
      expect(row.consumed_by_task).toBeNull();
      // A new tear-down mints a new grant in its place.
      const again = await store.startDestroy({ id: request.id, actor: ALICE, now: later, grantTtlMs: HOUR });
      expect(again.grant.id).not.toBe(grant.id);
      expect(await knex('grants').where({ request_id: request.id, purpose: 'destroy' })).toHaveLength(1);
    });
  });
});
