import { ConfigReader } from '@backstage/config';
import { ALICE, DAY, HOUR, TEAM } from '../../__testUtils__/fixtures';
import { lifecycleHarness, secondConnection } from '../../__testUtils__/lifecycle';
import { createTestDatabases } from '../../__testUtils__/store';
import { LIFECYCLE_DEFAULTS, readLifecycleSettings } from './config';
import { warnExpiring } from './expiryWarnings';

jest.setTimeout(60_000);

describe('selfService.lifecycle settings', () => {
  it('defaults to warnings 3 days and 1 day ahead, reminders after 24 h, escalation after 48 h to nobody', () => {
    expect(readLifecycleSettings(new ConfigReader({}))).toEqual({
      expiryWarningsMs: [3 * DAY, DAY],
      reminderAfterMs: DAY,
      escalateAfterMs: 2 * DAY,
      budgetAlertRatios: [0.8, 1],
    });
    expect(LIFECYCLE_DEFAULTS.escalateTo).toBeUndefined();
  });

  it('reads durations in any config form, longest warning first', () => {
    const settings = readLifecycleSettings(
      new ConfigReader({
        selfService: {
          lifecycle: {
            expiryWarnings: ['PT12H', { days: 2 }, '1h'],
            reminderAfter: { hours: 4 },
            escalateAfter: 'P1D',
            escalateTo: 'platform',
            budgetAlerts: [1, 0.5],
          },
        },
      }),
    );
    expect(settings).toEqual({
      expiryWarningsMs: [2 * DAY, 12 * HOUR, HOUR],
      reminderAfterMs: 4 * HOUR,
      escalateAfterMs: DAY,
      escalateTo: 'group:default/platform',
      budgetAlertRatios: [0.5, 1],
    });
  });

  it('refuses a warning list that is not one', () => {
    expect(() =>
      readLifecycleSettings(
        new ConfigReader({ selfService: { lifecycle: { expiryWarnings: '3d' } } }),
      ),
    ).toThrow(/list of durations/);
  });
});

describe('expiry warnings', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('warns the requester and the team 3 days and 1 day before expiry, each once', async () => {
      const h = await lifecycleHarness({ databases, databaseId });
      const request = await h.succeeded(7 * DAY);
      await h.succeeded(undefined);

      h.advance(4 * DAY - HOUR); // 3 days 1 hour left
      expect(await warnExpiring(h.deps)).toBe(0);

      h.advance(2 * HOUR); // 2 days 23 hours left
      expect(await warnExpiring(h.deps)).toBe(1);
      expect(h.sent('self-service-expiry')).toEqual([
        {
          recipients: { type: 'entity', entityRef: [ALICE, TEAM] },
          payload: expect.objectContaining({
            title: expect.stringMatching(/expires in 3 days$/),
            link: `/self-service/requests/${request.id}`,
            scope: `self-service:${request.id}:expiry-warning:${3 * DAY}`,
          }),
        },
      ]);
      h.advance(HOUR);
      expect(await warnExpiring(h.deps)).toBe(0);

      h.advance(DAY + 23 * HOUR); // 23 hours left
      expect(await warnExpiring(h.deps)).toBe(1);
      expect(h.sent('self-service-expiry')[1].payload).toMatchObject({
        title: expect.stringMatching(/expires in 23 hours$/),
        severity: 'high',
      });
      h.advance(22 * HOUR);
      expect(await warnExpiring(h.deps)).toBe(0);
      // Past expiry it is the TTL sweep's, not a warning's.
      h.advance(2 * HOUR);
      expect(await warnExpiring(h.deps)).toBe(0);
      expect(h.sent('self-service-expiry')).toHaveLength(2);
      const stored = await h.knex('request_notices').where({ request_id: request.id }).orderBy('kind');
      expect(stored.map(n => n.kind)).toEqual([`expiry-warning:${3 * DAY}`, `expiry-warning:${DAY}`].sort());
    });

    it('sends only the nearest warning to a request already close to expiry, at configured points', async () => {
      const h = await lifecycleHarness({
        databases,
        databaseId,
        lifecycle: { expiryWarningsMs: [3 * DAY, DAY, HOUR] },
      });
      await h.succeeded(12 * HOUR);
      expect(await warnExpiring(h.deps)).toBe(1);
      expect(await warnExpiring(h.deps)).toBe(0);
      h.advance(11 * HOUR + 30 * 60_000);
      expect(await warnExpiring(h.deps)).toBe(1);
      expect(h.sent('self-service-expiry').map(n => n.payload.scope)).toEqual([
        expect.stringMatching(`:expiry-warning:${DAY}$`),
        expect.stringMatching(`:expiry-warning:${HOUR}$`),
      ]);
    });

    it('sends each warning once when two instances sweep at the same time', async () => {
      const a = await lifecycleHarness({ databases, databaseId });
      const other = databaseId === 'SQLITE_3' ? a.knex : secondConnection(a.knex);
      try {
        const b = await lifecycleHarness({ databases, databaseId, knex: other, clock: a.clock });
        for (let i = 0; i < 4; i++) await a.succeeded(2 * DAY);
        const [byA, byB] = await Promise.all([warnExpiring(a.deps), warnExpiring(b.deps)]);
        expect(byA + byB).toBe(4);
        expect(a.sent('self-service-expiry').length + b.sent('self-service-expiry').length).toBe(4);
      } finally {
        if (other !== a.knex) await other.destroy();
      }
    });
  });
});
