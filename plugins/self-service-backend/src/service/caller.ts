import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/** A signed-in user calling the API, with their ownership refs. @internal */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * Who reads: a user, or a backend service (e.g. the scaffolder's apply step
 * in a task the plugin launched). A service owns nothing and decides nothing.
 * @internal
 */
export type Reader =
  | Caller
  | {
      credentials: BackstageCredentials<BackstageServicePrincipal>;
      userEntityRef: string;
      ownershipEntityRefs: string[];
    };
