import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  selfServiceAdminPermission,
  selfServiceRequestCancelPermission,
  selfServiceRequestDecidePermission,
  selfServiceRequestReadPermission,
} from '@internal/plugin-self-service-common';
import { PLATFORM_GROUP, SelfServicePermissionPolicy } from './SelfServicePermissionPolicy';

function policyFor(ownership: string[]) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs: ownership,
    }),
  });
  return new SelfServicePermissionPolicy(userInfo);
}

const user = {
  credentials: mockCredentials.user('user:default/someone'),
  info: { userEntityRef: 'user:default/someone', ownershipEntityRefs: [] },
};

describe('SelfServicePermissionPolicy', () => {
  it.each([
    ['catalog entity delete', catalogEntityDeletePermission],
    ['self-service admin', selfServiceAdminPermission],
  ])('denies %s outside the platform team and allows it inside', async (_, permission) => {
    const outside = await policyFor(['group:default/team-a']).handle({ permission }, user);
    expect(outside.result).toBe(AuthorizeResult.DENY);
    const inside = await policyFor([PLATFORM_GROUP]).handle({ permission }, user);
    expect(inside.result).toBe(AuthorizeResult.ALLOW);
  });

  it('leaves deciding to the backend (which enforces approver groups)', async () => {
    const decision = await policyFor([]).handle(
      { permission: selfServiceRequestDecidePermission },
      user,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('lets requester, team and approvers read a request, platform everything', async () => {
    const decision = await policyFor(['user:default/someone', 'group:default/team-a']).handle(
      { permission: selfServiceRequestReadPermission },
      user,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'self-service',
      resourceType: 'self-service-request',
      conditions: {
        anyOf: [
          { rule: 'IS_REQUESTER', params: { claims: ['user:default/someone'] } },
          { rule: 'IS_TEAM_MEMBER', params: { claims: ['user:default/someone', 'group:default/team-a'] } },
          { rule: 'IS_APPROVER', params: { claims: ['user:default/someone', 'group:default/team-a'] } },
        ],
      },
    });
    const platform = await policyFor([PLATFORM_GROUP]).handle(
      { permission: selfServiceRequestReadPermission },
      user,
    );
    expect(platform.result).toBe(AuthorizeResult.ALLOW);
  });

  it('lets only the requester cancel', async () => {
    const decision = await policyFor(['group:default/team-a']).handle(
      { permission: selfServiceRequestCancelPermission },
      user,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_REQUESTER', params: { claims: ['user:default/someone'] } },
    });
  });

  it('allows ordinary reads such as catalog use', async () => {
    const read = createPermission({ name: 'catalog.entity.read', attributes: { action: 'read' } });
    expect((await policyFor([]).handle({ permission: read }, user)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });
});
