import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { Request } from 'express';
import type { Caller, Reader } from '../caller';

/** The scaffolder backend's service principal. @internal */
export const SCAFFOLDER_SUBJECT = 'plugin:scaffolder';
/** The catalog backend's service principal (the resource provider). @internal */
export const CATALOG_SUBJECT = 'plugin:catalog';

/** Who is calling, in the three shapes the API accepts. @internal */
export interface Identity {
  /** A signed-in user. */
  user(req: Request): Promise<Caller>;
  /** A signed-in user or a backend service, for reads. */
  reader(req: Request): Promise<Reader>;
  /** A user on whose behalf the scaffolder calls (the request action). */
  userViaScaffolder(req: Request): Promise<Caller>;
  /** The scaffolder itself (grant redemption, status reports). */
  scaffolder(req: Request): Promise<string>;
  /** The catalog itself (the resource provider). */
  catalog(req: Request): Promise<string>;
}

/** @internal */
export function createIdentity(
  httpAuth: HttpAuthService,
  userInfo: UserInfoService,
): Identity {
  const user = async (req: Request): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  };
  const service = async (req: Request, subject: string): Promise<string> => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (credentials.principal.subject !== subject) {
      throw new NotAllowedError(`Only ${subject} may call this endpoint`);
    }
    return credentials.principal.subject;
  };
  return {
    user,
    async reader(req) {
      const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
      if (credentials.principal.type === 'user') {
        return user(req);
      }
      const principal = credentials as BackstageCredentials<BackstageServicePrincipal>;
      return {
        credentials: principal,
        userEntityRef: principal.principal.subject,
        ownershipEntityRefs: [],
      };
    },
    async userViaScaffolder(req) {
      const caller = await user(req);
      // A request's policy, cost and findings come from the template run; a
      // user posting them directly could write their own approval policy.
      if (caller.credentials.principal.actor?.subject !== SCAFFOLDER_SUBJECT) {
        throw new NotAllowedError(
          'Requests are recorded by the scaffolder on behalf of the requester',
        );
      }
      return caller;
    },
    scaffolder: req => service(req, SCAFFOLDER_SUBJECT),
    catalog: req => service(req, CATALOG_SUBJECT),
  };
}
