import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { InputError, NotAllowedError } from '@backstage/errors';

/** The header the development sign-in page sends with the chosen user name. */
export const DEV_USER_HEADER = 'x-self-service-dev-user';

const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * A development-only sign-in provider that lets a person (or a browser test)
 * act as any example `User` in the catalog by name. It refuses to run unless
 * NODE_ENV is development, like the guest provider, and the production config
 * does not enable it at all.
 */
export const devUserAuthenticator = createProxyAuthenticator({
  // Show the catalog user's own profile (display name, email) after sign-in.
  defaultProfileTransform: async (result: { userName: string }, ctx) => {
    const { entity } = await ctx.findCatalogUser({
      entityRef: { kind: 'User', name: result.userName },
    });
    const profile = (entity.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
      picture?: string;
    };
    return {
      profile: {
        displayName: profile.displayName ?? result.userName,
        email: profile.email,
        picture: profile.picture,
      },
    };
  },
  initialize({ config }) {
    const allowOutsideDev = config.getOptionalBoolean(
      'dangerouslyAllowOutsideDevelopment',
    );
    return { disabled: process.env.NODE_ENV !== 'development' && !allowOutsideDev };
  },
  async authenticate({ req }, { disabled }) {
    if (disabled) {
      throw new NotAllowedError(
        'The development sign-in provider only runs in development',
      );
    }
    const userName = req.header(DEV_USER_HEADER) ?? '';
    if (!USER_NAME.test(userName)) {
      throw new InputError(
        `Header ${DEV_USER_HEADER} must name an example user, got '${userName}'`,
      );
    }
    return { result: { userName } };
  },
});

/** Registers the `development` sign-in provider with the auth plugin. */
export const devUserAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'development-user-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has('auth.providers.development')) {
          return;
        }
        providers.registerProvider({
          providerId: 'development',
          factory: createProxyAuthProviderFactory({
            authenticator: devUserAuthenticator,
            // Only users that exist in the catalog can sign in; their group
            // memberships come from the catalog like any real provider.
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { kind: 'User', name: result.userName },
              });
            },
          }),
        });
      },
    });
  },
});
