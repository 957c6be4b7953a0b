import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CheckGrantResponse,
  checkGrantBodySchema,
  CreateRequestResponse,
  RedeemGrantResponse,
  ReportStatusBody,
  SelfServiceRequest,
  SelfServiceRequestDetail,
  TeamUsage,
  createRequestBodySchema,
  redeemGrantBodySchema,
} from '@internal/plugin-self-service-common';
import type { z } from 'zod';

/**
 * Body of `checkGrant`: a redemption's claim without the plan, which a
 * launched run does not know before it plans.
 * @public
 */
export type CheckGrantInput = z.input<typeof checkGrantBodySchema>;

/** Per-call options: the Backstage token to send. @public */
export interface SelfServiceClientCallOptions {
  /**
   * A token for the `self-service` plugin: on behalf of the requester for
   * `createRequest` (`auth.getPluginRequestToken({ onBehalfOf: await
   * ctx.getInitiatorCredentials(), targetPluginId: 'self-service' })`), the
   * scaffolder's own service token for `redeemGrant` and `reportStatus`.
   */
  token: string;
}

/** Body of `createRequest`; defaults of the shared schema may be omitted. @public */
export type CreateRequestInput = z.input<typeof createRequestBodySchema>;

/**
 * Body of `redeemGrant`. `token` is optional in the shared schema for
 * compatibility, but the backend refuses a redemption without it (400).
 * @public
 */
export type RedeemGrantInput = z.input<typeof redeemGrantBodySchema>;

/**
 * Typed client of the self-service backend API, for backend code such as
 * the scaffolder actions. Errors are `ResponseError`s carrying the status
 * code, with the server's message appended to the error message (e.g. every
 * exceeded limit of a 409 budget refusal).
 * @public
 */
export class SelfServiceBackendClient {
  readonly #discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  readonly #fetch: typeof fetch;

  constructor(options: {
    discovery: Pick<DiscoveryService, 'getBaseUrl'>;
    fetch?: typeof fetch;
  }) {
    this.#discovery = options.discovery;
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
  }

  /**
   * Records a request (idempotent per taskId + stepId). `grant` is present
   * only when the request was auto-approved; it is bound to `body.taskId`.
   * A budget or quota refusal is a 409 listing every exceeded limit.
   */
  createRequest(
    body: CreateRequestInput,
    options: SelfServiceClientCallOptions,
  ): Promise<CreateRequestResponse> {
    return this.#call('POST', '/requests', options, body);
  }

  /**
   * Redeems the single-use grant. Call with the scaffolder's service token;
   * a mismatch (plan, parameters, task, token) is a 403, a second
   * redemption a 409.
   */
  redeemGrant(
    body: RedeemGrantInput,
    options: SelfServiceClientCallOptions,
  ): Promise<RedeemGrantResponse> {
    return this.#call('POST', '/grants/redeem', options, body);
  }

  /**
   * Checks, without redeeming it, that the grant a launched task holds is
   * unredeemed, unexpired and bound to this task's template (and parameters,
   * when given) and operation. Call with the scaffolder's service token
   * before any Terraform command; a mismatch is a 403 naming the field, a
   * redeemed grant or a request no longer in a redeemable state a 409.
   */
  checkGrant(
    body: CheckGrantInput,
    options: SelfServiceClientCallOptions,
  ): Promise<CheckGrantResponse> {
    return this.#call('POST', '/grants/check', options, body);
  }

  /** Reports the outcome of an apply or destroy run (scaffolder service token). */
  reportStatus(
    requestId: string,
    body: ReportStatusBody,
    options: SelfServiceClientCallOptions,
  ): Promise<SelfServiceRequest> {
    return this.#call('POST', `/requests/${encodeURIComponent(requestId)}/status`, options, body);
  }

  /** A team's budget and quota: limit, live, reserved and remaining. */
  getTeamUsage(teamRef: string, options: SelfServiceClientCallOptions): Promise<TeamUsage> {
    return this.#call('GET', `/teams/${encodeURIComponent(teamRef)}/usage`, options);
  }

  /** A request with its stages, decisions and events (user token). */
  getRequest(
    requestId: string,
    options: SelfServiceClientCallOptions,
  ): Promise<SelfServiceRequestDetail> {
    return this.#call('GET', `/requests/${encodeURIComponent(requestId)}`, options);
  }

  async #call<T>(
    method: 'GET' | 'POST',
    path: string,
    options: SelfServiceClientCallOptions,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl('self-service');
    const response = await this.#fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      if (error.cause?.message) {
        error.message = `${error.message}: ${error.cause.message}`;
      }
      throw error;
    }
    return (await response.json()) as T;
  }
}
