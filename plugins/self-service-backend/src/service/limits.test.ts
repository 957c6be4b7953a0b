import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CatalogTeamLimits,
  evaluateLimits,
  formatMoney,
  toTeamUsage,
} from './limits';

const limits = {
  team: 'group:default/a',
  currency: 'USD',
  monthlyBudget: 1000,
  resourceQuota: 5,
};

describe('limits', () => {
  it('lists every exceeded limit with its numbers', () => {
    expect(
      evaluateLimits({
        limits,
        usage: {
          liveMonthly: 950,
          reservedMonthly: 100,
          liveCount: 4,
          reservedCount: 1,
        },
        requestedMonthly: 120,
      }),
    ).toEqual([
      'monthly budget: $950 used + $100 reserved + $120 requested > $1,000 limit',
      'resource quota: 4 live + 1 reserved + 1 requested > 5 limit',
    ]);
  });

  it('allows spending exactly up to the limit', () => {
    expect(
      evaluateLimits({
        limits,
        usage: {
          liveMonthly: 600.1,
          reservedMonthly: 299.7,
          liveCount: 0,
          reservedCount: 4,
        },
        requestedMonthly: 100.2,
      }),
    ).toEqual([]);
  });

  it('formats money in the configured currency', () => {
    expect(formatMoney(12.5, 'EUR')).toBe('€12.50');
    expect(formatMoney(3, 'XYZ')).toMatch(/^XYZ\s3$/);
    expect(formatMoney(3, 'not a currency')).toBe('3 not a currency');
  });

  it('reports remaining budget and quota, never negative', () => {
    expect(
      toTeamUsage(limits, {
        liveMonthly: 900,
        reservedMonthly: 200,
        liveCount: 6,
        reservedCount: 0,
      }),
    ).toEqual({
      team: 'group:default/a',
      currency: 'USD',
      budget: { limit: 1000, live: 900, reserved: 200, remaining: 0 },
      quota: { limit: 5, live: 6, reserved: 0, remaining: 0 },
    });
  });

  describe('CatalogTeamLimits', () => {
    const group = (annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'a', namespace: 'default', annotations },
      spec: { type: 'team', children: [] },
    });
    const make = (entities: any[], config: object = {}) =>
      new CatalogTeamLimits({
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        config: mockServices.rootConfig({ data: config }),
      });

    it('reads the Group annotations, the cost center with them', async () => {
      const source = make([
        group({
          'self-service.io/monthly-budget': '2500',
          'self-service.io/resource-quota': '7',
          'self-service.io/cost-center': ' CC-1001 ',
        }),
      ]);
      const read = await source.getLimits('group:default/a');
      expect(read).toEqual({
        team: 'group:default/a',
        currency: 'USD',
        monthlyBudget: 2500,
        resourceQuota: 7,
        costCenter: 'CC-1001',
      });
      // The usage API passes it on, so guardrails need not read the group again.
      expect(
        toTeamUsage(read, {
          liveMonthly: 0,
          reservedMonthly: 0,
          liveCount: 0,
          reservedCount: 0,
        }).costCenter,
      ).toBe('CC-1001');
    });

    it('falls back to configured defaults for missing or invalid annotations', async () => {
      const source = make(
        [group({ 'self-service.io/monthly-budget': 'lots' })],
        {
          selfService: {
            defaults: { monthlyBudget: 300, resourceQuota: 2, currency: 'EUR' },
          },
        },
      );
      expect(await source.getLimits('group:default/a')).toEqual({
        team: 'group:default/a',
        currency: 'EUR',
        monthlyBudget: 300,
        resourceQuota: 2,
      });
      expect(await source.getLimits('group:default/unknown')).toMatchObject({
        monthlyBudget: 300,
      });
    });
  });
});
