import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  selfServiceAdminPermission,
  selfServiceRequestCancelPermission,
  selfServiceRequestReadPermission,
} from '@internal/plugin-self-service-common';
import {
  createSelfServiceRequestConditionalDecision,
  selfServiceRequestConditions as requests,
} from '@internal/plugin-self-service-backend';

/** Members of this group administer the catalog and the self-service suite. */
export const PLATFORM_GROUP = 'group:default/platform';

const platformOnly = [
  catalogEntityDeletePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  selfServiceAdminPermission,
];

/**
 * The example organisation's policy. Catalog and scaffolder use is open to
 * every signed-in user; changing what the catalog holds and administering
 * self-service is for the platform team. A request is visible to its
 * requester, its team and the groups that approve it; only the requester
 * withdraws it. Who may decide is enforced by the self-service backend
 * itself (approver groups, four eyes); a policy could only narrow that.
 */
export class SelfServicePermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const info = user ? await this.userInfo.getUserInfo(user.credentials) : undefined;
    const claims = info?.ownershipEntityRefs ?? [];
    const isPlatform = claims.includes(PLATFORM_GROUP);

    if (platformOnly.some(p => isPermission(request.permission, p))) {
      return { result: isPlatform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isPermission(request.permission, selfServiceRequestReadPermission)) {
      if (isPlatform) return { result: AuthorizeResult.ALLOW };
      return createSelfServiceRequestConditionalDecision(request.permission, {
        anyOf: [
          requests.isRequester({ claims: info ? [info.userEntityRef] : [] }),
          requests.isTeamMember({ claims }),
          requests.isApprover({ claims }),
        ],
      });
    }
    if (isPermission(request.permission, selfServiceRequestCancelPermission)) {
      return createSelfServiceRequestConditionalDecision(
        request.permission,
        requests.isRequester({ claims: info ? [info.userEntityRef] : [] }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
