import type { RequestState } from './state';

/**
 * Payload of the events the backend publishes on
 * `SELF_SERVICE_RESOURCES_TOPIC` whenever a request's resource appears,
 * changes state or goes (the request enters or leaves a live state). Only the
 * id and state travel: subscribers read the rest through the API.
 * @public
 */
export interface SelfServiceResourceEvent {
  requestId: string;
  state: RequestState;
}
