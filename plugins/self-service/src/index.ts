/**
 * The self-service frontend plugin: approvals inbox, request pages, team
 * usage, the live cost estimate field and entity cards.
 *
 * @packageDocumentation
 */
export {
  selfServicePlugin,
  SelfServicePage,
  SelfServiceCostEstimateFieldExtension,
  SelfServiceTeamPickerFieldExtension,
  EntitySelfServiceTemplateCard,
  EntitySelfServiceResourceCard,
} from './plugin';
export { rootRouteRef, requestRouteRef, changeRequestRouteRef } from './routes';
export { selfServiceApiRef, SelfServiceClient } from './api';
export type {
  SelfServiceApi,
  ListRequestsOptions,
  InboxOptions,
  EstimateResponse,
} from './api';
export { SelfServiceSidebarItem } from './components/SelfServiceSidebarItem';
export type { CostEstimateFieldOptions } from './components/CostEstimateField';
export { useInboxCount } from './hooks';
export { transformSelfServiceFormErrors } from './components/formErrors';
export { ANNOTATION_PRICE_RANGE } from './annotations';
