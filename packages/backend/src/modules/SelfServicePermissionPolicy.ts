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
import { selfServiceAdminPermission } from '@internal/plugin-self-service-common';
import type { UserInfoService } from '@backstage/backend-plugin-api';

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
 * self-service is for the platform team. Who may decide a request is
 * enforced by the self-service backend itself (approver groups, four eyes);
 * this policy can only narrow that, never widen it.
 */
export class SelfServicePermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    const isPlatform = claims.includes(PLATFORM_GROUP);

    if (platformOnly.some(p => isPermission(request.permission, p))) {
      return { result: isPlatform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
