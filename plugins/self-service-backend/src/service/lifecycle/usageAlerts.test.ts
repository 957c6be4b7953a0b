import { DAY, OTHER_TEAM, TEAM } from '../../__testUtils__/fixtures';
import { lifecycleHarness } from '../../__testUtils__/lifecycle';
import { createTestDatabases } from '../../__testUtils__/store';
import { alertUsage, usagePeriod } from './usageAlerts';

jest.setTimeout(60_000);

const cost = (monthlyTotal: number) => ({
  cost: { currency: 'USD', monthlyTotal, lines: [], unpriced: [] },
});

describe('usage alerts', () => {
  const databases = createTestDatabases();

  it('uses the UTC month as the period', () => {
    expect(usagePeriod(new Date('2026-12-31T23:59:59.000Z'))).toBe('2026-12');
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('tells a team at 80 % and 100 % of its budget and at its quota, once per month', async () => {
      // Budget 1000 and quota 10 (the harness's limits).
      const h = await lifecycleHarness({ databases, databaseId });
      const titles = () => h.sent('self-service-usage').map(n => n.payload.title);

      await h.succeeded(undefined, cost(700));
      expect(await alertUsage(h.deps)).toBe(0);

      // A pending request's reservation counts too.
      await h.pending(cost(150));
      expect(await alertUsage(h.deps)).toBe(1);
      expect(h.sent('self-service-usage')[0]).toEqual({
        recipients: { type: 'entity', entityRef: TEAM },
        payload: expect.objectContaining({
          title: `${TEAM} has used 85 % of its monthly budget`,
          severity: 'normal',
        }),
      });
      expect(await alertUsage(h.deps)).toBe(0);

      await h.succeeded(undefined, cost(200));
      expect(await alertUsage(h.deps)).toBe(1);
      expect(titles()[1]).toBe(`${TEAM} has used 105 % of its monthly budget`);
      expect(await alertUsage(h.deps)).toBe(0);

      for (let i = 0; i < 7; i++) await h.succeeded(undefined, cost(0));
      expect(await alertUsage(h.deps)).toBe(1);
      expect(titles()[2]).toBe(`${TEAM} has reached its resource quota`);
      expect(await alertUsage(h.deps)).toBe(0);

      // A new month, still over: told again, the highest threshold only.
      h.advance(31 * DAY);
      expect(await alertUsage(h.deps)).toBe(2);
      expect(titles().slice(3)).toEqual([
        `${TEAM} has used 105 % of its monthly budget`,
        `${TEAM} has reached its resource quota`,
      ]);
      expect(titles().some(t => t.includes(OTHER_TEAM))).toBe(false);
    });

    it('sends only the highest threshold a team jumps to', async () => {
      const h = await lifecycleHarness({ databases, databaseId });
      await h.succeeded(undefined, cost(1200));
      expect(await alertUsage(h.deps)).toBe(1);
      h.advance(DAY);
      expect(await alertUsage(h.deps)).toBe(0);
      expect(h.sent('self-service-usage')).toHaveLength(1);
    });
  });
});
