export { selfServiceApiRef } from './SelfServiceApi';
export type {
  EstimateResponse,
  InboxOptions,
  ListRequestsOptions,
  SelfServiceApi,
} from './SelfServiceApi';
export { SelfServiceClient } from './SelfServiceClient';
