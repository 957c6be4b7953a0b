/*
 * The identity services of the flow backend: who the example users are and
 * how plugins call each other on their behalf.
 */
import {
  type AuthService,
  type BackstageCredentials,
  type BackstageUserInfo,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/** Ownership refs of the example users, as in examples/org/org.yaml. */
export const USER_GROUPS: Record<string, string[]> = {
  'user:default/dev': ['group:default/team-a'],
  'user:default/lead': ['group:default/team-a', 'group:default/team-a-leads'],
  'user:default/dba-alice': ['group:default/dba'],
  'user:default/dba-bob': ['group:default/dba'],
  'user:default/finance': ['group:default/finance'],
  'user:default/outsider': [],
};

function userRefOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/** userInfo for the example users; unknown users own only themselves. */
export const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(
      credentials: BackstageCredentials,
    ): Promise<BackstageUserInfo> {
      const ref = userRefOf(credentials);
      if (!ref) {
        throw new Error('getUserInfo needs user credentials');
      }
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(USER_GROUPS[ref] ?? [])],
      };
    },
  }),
});

/**
 * The mock auth service, except that a token obtained on behalf of a user
 * carries the calling plugin as its actor (the real service issues an
 * on-behalf-of plugin token whose credentials have `principal.actor`).
 */
export const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const auth: AuthService = {
      authenticate: (token, options) => inner.authenticate(token, options),
      isPrincipal: ((credentials: BackstageCredentials, type: any) =>
        inner.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const user = userRefOf(options.onBehalfOf);
        if (user) {
          return {
            token: mockCredentials.user.token(user, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
    return auth;
  },
});
