import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ChangeLaunchResponse,
  CostEstimate,
  DecisionBody,
  DestroyRequestBody,
  EstimateBody,
  ExtendRequestBody,
  ExtendResponse,
  Page,
  RequestState,
  SelfServiceRequest,
  SelfServiceRequestDetail,
  TeamUsage,
} from '@internal/plugin-self-service-common';

/**
 * Filters of `GET /requests`.
 * @public
 */
export interface ListRequestsOptions {
  /** Only the signed-in user's own requests. */
  mine?: boolean;
  state?: RequestState | RequestState[];
  /** Template entity ref. */
  template?: string;
  /** Team group entity ref. */
  team?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Cursor options of `GET /inbox`.
 * @public
 */
export interface InboxOptions {
  limit?: number;
  cursor?: string;
}

/**
 * The answer of `POST /estimate`: the estimate, and the team's usage when a
 * team was given.
 * @public
 */
export type EstimateResponse = CostEstimate & { usage?: TeamUsage };

/**
 * Talks to the self-service backend (`/api/self-service`).
 * @public
 */
export interface SelfServiceApi {
  listRequests(
    options?: ListRequestsOptions,
  ): Promise<Page<SelfServiceRequest>>;
  getInbox(options?: InboxOptions): Promise<Page<SelfServiceRequest>>;
  getRequest(id: string): Promise<SelfServiceRequestDetail>;
  decide(id: string, body: DecisionBody): Promise<SelfServiceRequestDetail>;
  cancel(id: string): Promise<SelfServiceRequestDetail>;
  /** Starts the tear-down of a succeeded request. */
  destroy(
    id: string,
    body?: DestroyRequestBody,
  ): Promise<SelfServiceRequestDetail>;
  /** Deletes a pending or rejected request's record (its audit log stays). */
  deleteRequest(id: string): Promise<void>;
  /**
   * Asks for more time before a succeeded resource expires. The extension
   * comes back succeeded when it was approved at once, else pending approval.
   */
  extend(id: string, body: ExtendRequestBody): Promise<ExtendResponse>;
  /**
   * Starts a day-2 change of a succeeded resource: the backend runs its
   * template with these parameters against the existing state; the run
   * plans the update and records the change request.
   */
  startChange(
    id: string,
    parameters: Record<string, unknown>,
  ): Promise<ChangeLaunchResponse>;
  getTeamUsage(teamRef: string): Promise<TeamUsage>;
  estimate(body: EstimateBody): Promise<EstimateResponse>;
}

/**
 * The API reference of {@link SelfServiceApi}.
 * @public
 */
export const selfServiceApiRef = createApiRef<SelfServiceApi>({
  id: 'plugin.self-service.service',
});
