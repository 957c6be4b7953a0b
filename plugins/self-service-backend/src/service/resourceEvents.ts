import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  LIVE_STATES,
  type RequestState,
  SELF_SERVICE_RESOURCES_TOPIC,
  type SelfServiceRequest,
  type SelfServiceResourceEvent,
} from '@internal/plugin-self-service-common';

/**
 * Whether a state change creates, changes or removes a provisioned resource:
 * it enters or leaves a live state (succeeded, destroying).
 * @internal
 */
export function isResourceChange(
  from: RequestState | undefined,
  to: RequestState,
): boolean {
  if (from === to) return false;
  const live = (state?: RequestState) => !!state && LIVE_STATES.includes(state);
  return live(from) || live(to);
}

/**
 * Announces changed resources so the catalog refreshes promptly instead of
 * at its next poll. Only ids and states travel; subscribers read the rest
 * through the API. Best effort, like the notifications: the change is
 * committed, and the catalog's poll catches up with a lost event.
 * @internal
 */
export async function announceResourceChange(
  deps: { events?: EventsService; logger: LoggerService },
  request: SelfServiceRequest,
  previous?: { state: RequestState },
  options?: { updated?: boolean },
): Promise<void> {
  if (!deps.events) return;
  // Changes and extensions are not resources; their target is announced.
  if (request.kind && request.kind !== 'provision') return;
  if (!options?.updated && !isResourceChange(previous?.state, request.state)) return;
  const eventPayload: SelfServiceResourceEvent = {
    requestId: request.id,
    state: request.state,
  };
  try {
    await deps.events.publish({
      topic: SELF_SERVICE_RESOURCES_TOPIC,
      eventPayload,
    });
  } catch (error) {
    deps.logger.warn(
      `Failed to announce the resource of request ${request.id}: ${error}`,
    );
  }
}
