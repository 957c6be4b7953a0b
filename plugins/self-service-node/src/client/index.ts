export {
  SelfServiceBackendClient,
  type CreateRequestInput,
  type RedeemGrantInput,
  type SelfServiceClientCallOptions,
} from './SelfServiceBackendClient';
