import { launchDestroyPhase, PLUGIN_ACTOR } from '../launchPhase';
import type { LifecycleDeps } from './types';

/** The reason a TTL tear-down records, in its event and audit entry. @internal */
export const TTL_REASON = 'expired → destroyed by TTL';

/**
 * Tears down every succeeded request past its `expiresAt`, through the same
 * path as a manual destroy: succeeded -> destroying with a fresh destroy
 * grant, then the template launched with the 'destroy' operation.
 *
 * Each request is claimed once (the move and a `ttl-destroy` notice in one
 * transaction), so backend instances sharing the database launch it once,
 * and never again: a tear-down that cannot start or fails returns the
 * request to succeeded, tells the requester, and is left to people rather
 * than retried every sweep. Returns how many tear-downs were started.
 * @internal
 */
export async function destroyExpired(deps: LifecycleDeps): Promise<number> {
  const { store, notifier, logger, auditor } = deps;
  let started = 0;
  for (const id of await store.lifecycle.findExpiredLive(deps.now())) {
    try {
      const claimed = await store.lifecycle.claimTtlDestroy({
        id,
        actor: PLUGIN_ACTOR,
        reason: TTL_REASON,
        now: deps.now(),
        grantTtlMs: deps.settings.grantTtlMs,
      });
      if (!claimed) {
        logger.debug(`Request ${id} was torn down or changed before its TTL sweep`);
        continue;
      }
      const { request, previous, grant } = claimed;
      notifier.changed(request, previous);
      // Recorded as a manual tear-down is (request-destroy), by the plugin.
      const audit = await auditor?.createEvent({
        eventId: 'request-destroy',
        severityLevel: 'medium',
        meta: {
          requestId: id,
          actor: PLUGIN_ACTOR,
          trigger: 'ttl',
          reason: TTL_REASON,
          ...(previous.expiresAt ? { expiresAt: previous.expiresAt } : {}),
        },
      });
      const after = await launchDestroyPhase(
        { ...deps, now: deps.now },
        request,
        grant.token,
      );
      if (after.state === 'destroying') {
        started += 1;
        await audit?.success({ meta: { state: after.state } });
      } else {
        await audit?.fail({
          error: new Error(after.stateReason ?? `request is ${after.state}`),
          meta: { state: after.state },
        });
      }
    } catch (error) {
      logger.error(`TTL tear-down of request ${id} failed`, error as Error);
    }
  }
  return started;
}
