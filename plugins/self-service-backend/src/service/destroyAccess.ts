import type { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type SelfServiceRequest,
  selfServiceAdminPermission,
} from '@internal/plugin-self-service-common';
import type { Caller } from './caller';

/**
 * Who may manage a provisioned resource (tear it down, extend it, change
 * it): its requester, a member of its team (the team pays for it) or an
 * admin. The state is checked separately.
 * @internal
 */
export async function mayManageResource(
  permissions: PermissionsService,
  request: Pick<SelfServiceRequest, 'requester' | 'team'>,
  caller: Caller,
): Promise<boolean> {
  if (request.requester === caller.userEntityRef) return true;
  const team = request.team.toLowerCase();
  if (caller.ownershipEntityRefs.some(ref => ref.toLowerCase() === team))
    return true;
  const [admin] = await permissions.authorize(
    [{ permission: selfServiceAdminPermission }],
    {
      credentials: caller.credentials,
    },
  );
  return admin.result === AuthorizeResult.ALLOW;
}
