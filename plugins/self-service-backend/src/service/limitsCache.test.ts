import { limits } from '../__testUtils__/fixtures';
import { CachedTeamLimits } from './limitsCache';
import type { TeamLimits } from './limits';

describe('CachedTeamLimits', () => {
  const team = 'group:default/team-a';

  function setup(ttlMs = 10_000) {
    let now = 1_000_000;
    const getLimits = jest.fn(async (t: string): Promise<TeamLimits> =>
      limits({ team: t }),
    );
    const cache = new CachedTeamLimits({
      source: { getLimits },
      ttlMs,
      now: () => now,
    });
    return { cache, getLimits, advance: (ms: number) => (now += ms) };
  }

  it('reads a team once per period, and again once the period is over', async () => {
    const { cache, getLimits, advance } = setup();
    await cache.getLimits(team);
    advance(9_999);
    await cache.getLimits(team);
    expect(getLimits).toHaveBeenCalledTimes(1);
    advance(1);
    await cache.getLimits(team);
    expect(getLimits).toHaveBeenCalledTimes(2);
    await cache.getLimits('group:default/team-b');
    expect(getLimits).toHaveBeenCalledTimes(3);
  });

  it('shares a read in flight, and does not remember a failed one', async () => {
    const { cache, getLimits } = setup();
    getLimits.mockRejectedValueOnce(new Error('catalog down'));
    const [first, second] = await Promise.allSettled([
      cache.getLimits(team),
      cache.getLimits(team),
    ]);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');
    expect(getLimits).toHaveBeenCalledTimes(1);
    await expect(cache.getLimits(team)).resolves.toMatchObject({ team });
    expect(getLimits).toHaveBeenCalledTimes(2);
  });

  it('reads every time when the period is zero', async () => {
    const { cache, getLimits } = setup(0);
    await cache.getLimits(team);
    await cache.getLimits(team);
    expect(getLimits).toHaveBeenCalledTimes(2);
  });
});
