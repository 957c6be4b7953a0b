import type { LoggerService } from '@backstage/backend-plugin-api';

/** What the loop runs: a full refresh, or one request's entity. */
export interface ResourceRefresher {
  refresh(): Promise<number>;
  refreshRequest(requestId: string): Promise<number>;
}

/** Asks for refreshes; each promise settles when its refresh has run. */
export interface SerializedRefresh {
  all(): Promise<void>;
  request(requestId: string): Promise<void>;
}

interface Job {
  /** The request to refresh; undefined for a full refresh. */
  requestId?: string;
  done: Promise<void>;
  finish(): void;
}

/**
 * Runs refreshes one at a time, in the order they were asked for. Each reads
 * the backend when it starts, so a change announced while another refresh
 * runs is never answered by a listing read before the change, and a delta
 * can never be undone by an older full listing applied after it. A full
 * refresh still waiting covers everything asked after it, and a request
 * already waiting is not queued twice. Failures are logged, never thrown:
 * the next event or scheduled run retries.
 */
export function serializedRefresh(
  refresher: ResourceRefresher,
  logger: LoggerService,
): SerializedRefresh {
  const waiting: Job[] = [];
  let draining = false;

  const run = async (job: Job) => {
    const what = job.requestId ? `request ${job.requestId}` : 'all';
    try {
      const count = job.requestId
        ? await refresher.refreshRequest(job.requestId)
        : await refresher.refresh();
      logger.debug(`Refreshed ${count} self-service resource(s) in the catalog (${what})`);
    } catch (error) {
      logger.warn(`Failed to refresh self-service resources in the catalog (${what}): ${error}`);
    }
  };

  const drain = async () => {
    draining = true;
    for (let job = waiting.shift(); job; job = waiting.shift()) {
      await run(job);
      job.finish();
    }
    draining = false;
  };

  const enqueue = (requestId?: string): Promise<void> => {
    const covered = waiting.find(j => !j.requestId || j.requestId === requestId);
    if (covered) return covered.done;
    let finish = () => {};
    const done = new Promise<void>(resolve => {
      finish = resolve;
    });
    waiting.push({ requestId, done, finish });
    if (!draining) void drain();
    return done;
  };

  return { all: () => enqueue(), request: enqueue };
}
