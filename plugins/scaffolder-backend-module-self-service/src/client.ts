import type { AuthService } from '@backstage/backend-plugin-api';
import type {
  CheckGrantBody,
  CheckGrantResponse,
  CreateRequestBody,
  RedeemGrantBody,
  ReportStatusBody,
  SelfServiceRequest,
  TeamUsage,
} from '@internal/plugin-self-service-common';

/** What `POST /requests` returns. @public */
export interface CreateRequestResult {
  request: SelfServiceRequest;
  /** Present only when the request was auto-approved; bound to the creating task. */
  grant?: { token: string; expiresAt: string; planFileDigest?: string };
}

/**
 * The part of the self-service backend API the actions use. Implemented by
 * `SelfServiceBackendClient` of `@internal/plugin-self-service-node`; tests
 * use in-memory fakes. Each call carries a token the caller obtained for the
 * self-service plugin.
 * @public
 */
export interface SelfServiceActionsClient {
  getTeamUsage(team: string, options: { token: string }): Promise<TeamUsage>;
  getRequest(
    id: string,
    options: { token: string },
  ): Promise<SelfServiceRequest>;
  createRequest(
    body: CreateRequestBody,
    options: { token: string },
  ): Promise<CreateRequestResult>;
  redeemGrant(
    body: RedeemGrantBody & { token: string },
    options: { token: string },
  ): Promise<{ redeemed: true; grantId: string }>;
  /**
   * Checks a launched task's grant without redeeming it (scaffolder service
   * token); the terraform actions call it before any Terraform command.
   */
  checkGrant(
    body: CheckGrantBody,
    options: { token: string },
  ): Promise<CheckGrantResponse>;
  /** Reports the outcome of an apply or destroy run (scaffolder service token). */
  reportStatus(
    requestId: string,
    body: ReportStatusBody,
    options: { token: string },
  ): Promise<SelfServiceRequest>;
}

/** A token for the self-service backend on behalf of whoever started the task. */
export async function initiatorToken(
  auth: AuthService,
  ctx: { getInitiatorCredentials(): Promise<any> },
): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await ctx.getInitiatorCredentials(),
    targetPluginId: 'self-service',
  });
  return token;
}

/** A token as the scaffolder's own service identity (grant redemption is service-only). */
export async function serviceToken(auth: AuthService): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: 'self-service',
  });
  return token;
}
