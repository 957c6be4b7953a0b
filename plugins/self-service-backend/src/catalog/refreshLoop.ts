import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Runs `refresh` one at a time. A call while one runs asks for exactly one
 * more run after it, so an event that arrives mid-refresh is never answered
 * by a listing read before the change. Failures are logged, never thrown:
 * the next event or scheduled run retries.
 */
export function serializedRefresh(
  refresh: () => Promise<number>,
  logger: LoggerService,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        const count = await refresh();
        logger.debug(`Refreshed ${count} self-service resource(s) in the catalog`);
      } catch (error) {
        logger.warn(`Failed to refresh self-service resources in the catalog: ${error}`);
      }
    } while (again);
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  };
}
