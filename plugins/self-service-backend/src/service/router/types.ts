import type { AuditorService } from '@backstage/backend-plugin-api';
import type { CostEstimator } from '../estimator';
import type { GrantChecker } from '../grantCheck';
import type { RequestReader } from '../RequestReader';
import type { RequestService } from '../RequestService';
import type { TeamReadAccess } from '../teamAccess';
import type { Identity } from './identity';

/** What the route modules need. @internal */
export interface RouteDeps {
  service: RequestService;
  reader: RequestReader;
  identity: Identity;
  auditor: AuditorService;
  estimator: CostEstimator;
  /** `POST /grants/check`: a launched run's grant, checked and not redeemed. */
  grants: GrantChecker;
  /** Who may read a team's budget and quota. */
  teamAccess: TeamReadAccess;
}
