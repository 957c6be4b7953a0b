import type { Environment } from '@internal/plugin-self-service-common';
import {
  DEFAULT_GUARDRAILS,
  evaluateBuiltInGuardrails,
} from '@internal/plugin-self-service-node';
import { hashParameters } from '@internal/plugin-self-service-node';
import { ALICE, DAY, HOUR, limits, requestBody } from '../../__testUtils__/fixtures';
import { lifecycleHarness, secondConnection } from '../../__testUtils__/lifecycle';
import { createTestDatabases } from '../../__testUtils__/store';
import { destroyExpired, TTL_REASON } from './ttlSweep';

jest.setTimeout(60_000);

describe('expiry by environment', () => {
  const expiryOf = (environment: Environment, ttlMs?: number) =>
    evaluateBuiltInGuardrails({
      teamLabel: 'team-a',
      environment,
      monthlyCost: 10,
      currency: 'USD',
      unpriced: [],
      config: DEFAULT_GUARDRAILS,
      ttlMs,
      now: new Date('2026-03-02T09:00:00.000Z'),
    }).expiresAt;

  it('gives production no TTL by default, and dev and staging theirs', () => {
    expect(expiryOf('production')).toBeUndefined();
    expect(expiryOf('dev')).toBe('2026-03-09T09:00:00.000Z');
    expect(expiryOf('staging')).toBe('2026-04-01T09:00:00.000Z');
    // A rule (the template's ttlDays) may still set one for production.
    expect(expiryOf('production', DAY)).toBe('2026-03-03T09:00:00.000Z');
  });
});

describe('TTL sweep', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('tears down a succeeded request past its expiry once, through the destroy grant path, audited', async () => {
      const h = await lifecycleHarness({ databases, databaseId });
      const expiring = await h.succeeded(7 * DAY);
      const forever = await h.succeeded(undefined);
      expect(forever.expiresAt).toBeUndefined();

      h.advance(7 * DAY - 1);
      expect(await destroyExpired(h.deps)).toBe(0);
      expect(h.launches).toEqual([]);

      h.advance(1);
      expect(await destroyExpired(h.deps)).toBe(1);
      expect(h.launches).toEqual([
        { requestId: expiring.id, token: expect.any(String), operation: 'destroy' },
      ]);
      const after = await h.store.getRequestDetail(expiring.id);
      expect(after).toMatchObject({ state: 'destroying', stateReason: TTL_REASON });
      expect(after!.events.slice(-2)).toMatchObject([
        {
          actor: 'plugin:self-service',
          fromState: 'succeeded',
          toState: 'destroying',
          action: 'destroy-requested',
          reason: 'expired → destroyed by TTL',
        },
        { action: 'launched', toState: 'destroying' },
      ]);
      // The launched task holds the destroy grant, as after a manual destroy.
      const [grant] = await h.knex('grants').where({ request_id: expiring.id, purpose: 'destroy' });
      expect(grant).toMatchObject({ task_id: after!.taskIds[after!.taskIds.length - 1], consumed_at: null });
      expect(h.audits).toEqual([
        {
          eventId: 'request-destroy',
          meta: expect.objectContaining({ requestId: expiring.id, trigger: 'ttl', reason: TTL_REASON }),
          outcome: 'success',
        },
      ]);

      h.advance(DAY);
      expect(await destroyExpired(h.deps)).toBe(0);
      expect(h.launches).toHaveLength(1);
      expect((await h.store.getRequest(forever.id))!.state).toBe('succeeded');
    });

    it('does not retry a tear-down that could not start; the requester is told', async () => {
      const h = await lifecycleHarness({
        databases,
        databaseId,
        launcher: {
          launch: async () => {
            throw new Error('scaffolder unavailable');
          },
        },
      });
      const request = await h.succeeded(HOUR);
      h.advance(2 * HOUR);
      expect(await destroyExpired(h.deps)).toBe(0);
      expect(await h.store.getRequest(request.id)).toMatchObject({ state: 'succeeded' });
      expect(h.audits).toEqual([
        expect.objectContaining({ eventId: 'request-destroy', outcome: 'fail' }),
      ]);
      await h.notifier.settled();
      expect(h.sent('self-service-request')).toEqual([
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: ALICE },
          payload: expect.objectContaining({ title: expect.stringContaining('could not be torn down') }),
        }),
      ]);
      h.advance(DAY);
      expect(await destroyExpired(h.deps)).toBe(0);
      expect(h.audits).toHaveLength(1);
    });

    it('launches each tear-down once when two instances sweep the same database at the same time', async () => {
      const a = await lifecycleHarness({ databases, databaseId });
      const other = databaseId === 'SQLITE_3' ? a.knex : secondConnection(a.knex);
      try {
        const b = await lifecycleHarness({ databases, databaseId, knex: other, clock: a.clock });
        const requests = [];
        for (let i = 0; i < 6; i++) requests.push(await a.succeeded(HOUR + i * 1000));
        a.advance(2 * HOUR);
        const [byA, byB] = await Promise.all([destroyExpired(a.deps), destroyExpired(b.deps)]);
        expect(byA + byB).toBe(6);
        const launched = [...a.launches, ...b.launches].map(l => l.requestId).sort();
        expect(launched).toEqual(requests.map(r => r.id).sort());
        for (const r of requests) {
          const events = await a.knex('events').where({ request_id: r.id, action: 'destroy-requested' });
          expect(events).toHaveLength(1);
        }
        expect([...a.audits, ...b.audits]).toHaveLength(6);
        // And again: nothing left to claim.
        expect(await Promise.all([destroyExpired(a.deps), destroyExpired(b.deps)])).toEqual([0, 0]);
      } finally {
        if (other !== a.knex) await other.destroy();
      }
    });

    it('tears an extended resource down at its new expiry, and waits while a change of it is open', async () => {
      const h = await lifecycleHarness({ databases, databaseId });
      const live = await h.succeeded(7 * DAY);
      const extended = await h.store.createExtension({
        targetId: live.id,
        requester: ALICE,
        days: 3,
        now: h.clock.now,
        grantTtlMs: DAY,
      });
      expect(extended.extension.state).toBe('succeeded');
      h.advance(7 * DAY);
      expect(await destroyExpired(h.deps)).toBe(0);

      // A change waiting for approval works on the same state: no tear-down under it.
      const parameters = { ...live.parameters, size: 'large' };
      const { ticket } = await h.store.mintChangeTicket({
        targetId: live.id,
        parametersHash: hashParameters(parameters),
        actor: ALICE,
        now: h.clock.now,
        ttlMs: DAY,
      });
      const change = await h.store.createRequest({
        requester: ALICE,
        now: h.clock.now,
        decisionTimeoutMs: 7 * DAY,
        grantTtlMs: DAY,
        limits: limits({ resourceQuota: 100, monthlyBudget: 100_000 }),
        body: requestBody({
          parameters,
          parametersHash: hashParameters(parameters),
          changeOf: live.id,
          changeToken: ticket.token,
        }),
      });
      expect(change.request).toMatchObject({ kind: 'change', state: 'pending_approval' });
      h.advance(3 * DAY);
      expect(await destroyExpired(h.deps)).toBe(0);
      expect((await h.store.getRequest(live.id))!.state).toBe('succeeded');

      await h.store.transition({
        id: change.request.id,
        from: 'pending_approval',
        to: 'canceled',
        actor: ALICE,
        action: 'canceled',
        now: h.clock.now,
      });
      expect(await destroyExpired(h.deps)).toBe(1);
      expect(h.launches).toEqual([
        { requestId: live.id, token: expect.any(String), operation: 'destroy' },
      ]);
    });
  });
});
