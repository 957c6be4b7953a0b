export {
  SelfServiceBackendClient,
  type CheckGrantInput,
  type CreateRequestInput,
  type RedeemGrantInput,
  type SelfServiceClientCallOptions,
} from './SelfServiceBackendClient';
