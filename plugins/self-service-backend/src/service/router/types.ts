import type { AuditorService } from '@backstage/backend-plugin-api';
import type { CostEstimator } from '../estimator';
import type { RequestReader } from '../RequestReader';
import type { RequestService } from '../RequestService';
import type { Identity } from './identity';

/** What the route modules need. @internal */
export interface RouteDeps {
  service: RequestService;
  reader: RequestReader;
  identity: Identity;
  auditor: AuditorService;
  estimator: CostEstimator;
}
