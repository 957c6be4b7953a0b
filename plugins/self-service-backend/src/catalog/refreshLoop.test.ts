import { mockServices } from '@backstage/backend-test-utils';
import { serializedRefresh } from './refreshLoop';

/** A refresher whose runs end only when the test releases them, in order. */
function gatedRefresher() {
  const runs: string[] = [];
  const releases: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const gate = async (what: string) => {
    runs.push(what);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>(resolve => releases.push(resolve));
    running -= 1;
    return 1;
  };
  return {
    refresher: {
      refresh: jest.fn(() => gate('all')),
      refreshRequest: jest.fn((id: string) => gate(id)),
    },
    runs,
    maxRunning: () => maxRunning,
    /** Ends the oldest running refresh and lets the loop start the next. */
    async releaseNext() {
      releases.shift()!();
      await new Promise(setImmediate);
    },
  };
}

describe('serializedRefresh', () => {
  it('never overlaps runs, and a full refresh asked for during a run runs once after it', async () => {
    const g = gatedRefresher();
    const sync = serializedRefresh(g.refresher, mockServices.logger.mock());

    const first = sync.all();
    const second = sync.all();
    const third = sync.all();
    await new Promise(setImmediate);
    await g.releaseNext(); // the first run ends; one more starts for both waiting calls
    expect(g.runs).toEqual(['all', 'all']);
    await g.releaseNext();
    await Promise.all([first, second, third]);
    expect(g.runs).toEqual(['all', 'all']);
    expect(g.maxRunning()).toBe(1);

    const later = sync.all(); // idle again: a fresh run
    await new Promise(setImmediate);
    await g.releaseNext();
    await later;
    expect(g.runs).toEqual(['all', 'all', 'all']);
  });

  it('runs request refreshes in order after the running one, each request once while it waits', async () => {
    const g = gatedRefresher();
    const sync = serializedRefresh(g.refresher, mockServices.logger.mock());

    const running = sync.all();
    const a = sync.request('a');
    const b = sync.request('b');
    const aAgain = sync.request('a');
    await new Promise(setImmediate);
    expect(g.runs).toEqual(['all']); // nothing overtakes the running refresh
    await g.releaseNext();
    await g.releaseNext();
    await g.releaseNext();
    await Promise.all([running, a, b, aAgain]);
    expect(g.runs).toEqual(['all', 'a', 'b']);
    expect(g.maxRunning()).toBe(1);
  });

  it('lets a waiting full refresh cover requests asked for after it', async () => {
    const g = gatedRefresher();
    const sync = serializedRefresh(g.refresher, mockServices.logger.mock());

    const running = sync.request('a');
    const full = sync.all();
    const b = sync.request('b');
    await new Promise(setImmediate);
    await g.releaseNext();
    await g.releaseNext();
    await Promise.all([running, full, b]);
    expect(g.runs).toEqual(['a', 'all']);
  });

  it('logs a failure instead of throwing it, and goes on with the next', async () => {
    const logger = mockServices.logger.mock();
    const refreshRequest = jest
      .fn()
      .mockRejectedValueOnce(new Error('self-service is down'))
      .mockResolvedValueOnce(1);
    const sync = serializedRefresh({ refresh: async () => 0, refreshRequest }, logger);
    await expect(sync.request('a')).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/request a.*self-service is down/),
    );
    await expect(sync.request('b')).resolves.toBeUndefined();
    expect(refreshRequest).toHaveBeenCalledTimes(2);
  });
});
