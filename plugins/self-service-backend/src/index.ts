/**
 * Backend plugin for self-service infrastructure: requests, approvals,
 * single-use apply grants, team budgets and quotas, audit and the inbox API.
 *
 * @packageDocumentation
 */
export { selfServicePlugin as default } from './plugin';
export {
  createSelfServiceRequestConditionalDecision,
  isApprover,
  isRequester,
  isTeamMember,
  selfServiceRequestConditions,
  selfServiceRequestPermissionResourceRef,
  selfServiceRequestRules,
} from './service/permissions';
export type { SelfServiceRequestFilter } from './database/filters';
export type { Launcher, LaunchOperation } from './service/launcher';
export { catalogModuleSelfService } from './catalog/module';
