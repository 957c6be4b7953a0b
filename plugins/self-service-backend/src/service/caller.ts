import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/** A signed-in user calling the API, with their ownership refs. @internal */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userEntityRef: string;
  ownershipEntityRefs: string[];
}
