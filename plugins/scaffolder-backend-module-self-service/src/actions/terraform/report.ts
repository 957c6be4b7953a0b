import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { ReportStatusBody } from '@internal/plugin-self-service-common';
import { SelfServiceActionsClient, serviceToken } from '../../client';

/**
 * Tells the backend how an apply or destroy run ended. Best effort: when the
 * report is lost the backend settles the request from the task's status.
 */
export async function reportOutcome(
  deps: {
    client: SelfServiceActionsClient;
    auth: AuthService;
    logger: LoggerService;
  },
  requestId: string,
  body: ReportStatusBody,
): Promise<boolean> {
  try {
    await deps.client.reportStatus(requestId, body, {
      token: await serviceToken(deps.auth),
    });
    return true;
  } catch (e) {
    deps.logger.warn(
      `Could not report ${body.state} for request ${requestId}: ${(e as Error).message}`,
    );
    return false;
  }
}
