import { requestLink } from '../notifier';
import { humanDuration, type LifecycleDeps, requestLabel } from './types';

/** The notice kind of the warning `ms` before expiry. @internal */
export const expiryWarningKind = (ms: number) => `expiry-warning:${ms}`;

/**
 * Warns the requester and the team that a resource is about to be torn down
 * by its TTL, at each configured point before `expiresAt` (default 3 days
 * and 1 day). A request that is already closer than several points gets
 * only the nearest one. Each warning is claimed in the database before it
 * is sent, so it goes out once among all instances. Returns how many were sent.
 * @internal
 */
export async function warnExpiring(deps: LifecycleDeps): Promise<number> {
  const { store, notifications, logger } = deps;
  const points = deps.lifecycle.expiryWarningsMs;
  if (!notifications || points.length === 0) return 0;
  const now = deps.now();
  const expiring = await store.lifecycle.findExpiring(now, Math.max(...points));
  const notices = await store.lifecycle.noticesOf(expiring.map(r => r.id));
  let sent = 0;
  for (const request of expiring) {
    const left = Date.parse(request.expiresAt!) - now.getTime();
    const point = Math.min(...points.filter(ms => left <= ms));
    const kind = expiryWarningKind(point);
    if (notices.get(request.id)?.has(kind)) continue;
    try {
      if (!(await store.lifecycle.claimNotice(request.id, kind, now))) continue;
      await notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [request.requester, request.team],
        },
        payload: {
          title: `${requestLabel(request)} expires in ${humanDuration(left)}`,
          description: `The ${request.environment} resources of request ${request.id} (${request.team}) reach their TTL at ${request.expiresAt} and are then destroyed.`,
          link: requestLink(request.id),
          severity: point <= 24 * 3600_000 ? 'high' : 'normal',
          topic: 'self-service-expiry',
          scope: `self-service:${request.id}:${kind}`,
        },
      });
      sent += 1;
    } catch (error) {
      logger.warn(
        `Failed to warn about the expiry of request ${request.id}: ${error}`,
      );
    }
  }
  return sent;
}
