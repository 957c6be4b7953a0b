import { mockServices } from '@backstage/backend-test-utils';
import { serializedRefresh } from './refreshLoop';

describe('serializedRefresh', () => {
  it('never overlaps runs, and runs once more for calls made during a run', async () => {
    let running = 0;
    let maxRunning = 0;
    const releases: Array<() => void> = [];
    const refresh = jest.fn(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>(resolve => releases.push(resolve));
      running -= 1;
      return 1;
    });
    const run = serializedRefresh(refresh, mockServices.logger.mock());

    const first = run();
    const second = run();
    const third = run();
    await new Promise(setImmediate);
    releases.shift()!(); // the first run ends; one more starts for both waiting calls
    await new Promise(setImmediate);
    expect(refresh).toHaveBeenCalledTimes(2);
    releases.shift()!();
    await Promise.all([first, second, third]);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(maxRunning).toBe(1);

    const later = run(); // idle again: a fresh run
    await new Promise(setImmediate);
    releases.shift()!();
    await later;
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('logs a failure instead of throwing it', async () => {
    const logger = mockServices.logger.mock();
    const run = serializedRefresh(async () => {
      throw new Error('self-service is down');
    }, logger);
    await expect(run()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('self-service is down'));
  });
});
