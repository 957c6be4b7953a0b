/** Annotations on `Group` entities that set team limits. @public */
export const ANNOTATION_MONTHLY_BUDGET = 'self-service.io/monthly-budget';
/** @public */
export const ANNOTATION_RESOURCE_QUOTA = 'self-service.io/resource-quota';
/** @public */
export const ANNOTATION_COST_CENTER = 'self-service.io/cost-center';
/** Annotations on provisioned `Resource` entities. @public */
export const ANNOTATION_REQUEST_ID = 'self-service.io/request-id';
/** @public */
export const ANNOTATION_EXPIRES_AT = 'self-service.io/expires-at';
/** The signal channel pages subscribe to for live updates. @public */
export const SELF_SERVICE_SIGNAL_CHANNEL = 'self-service:requests';
/** Set by the catalog on Templates that misuse the self-service actions (JSON list). @public */
export const ANNOTATION_TEMPLATE_PROBLEMS = 'self-service.io/template-problems';
/**
 * The value of the `selfServiceOperation` task secret with which the backend
 * launches a tear-down. Scaffolder logs mask every secret value, so it is a
 * string no log line contains by accident (a bare 'destroy' would turn
 * Terraform's "Destroy complete" lines into asterisks).
 * @public
 */
export const SELF_SERVICE_DESTROY_OPERATION =
  'self-service.io/operation=destroy';

/**
 * The `selfServiceOperation` secret of a day-2 change run: the backend
 * launched the template (as the person asking) to plan an update of an
 * existing resource and record the change request.
 * @public
 */
export const SELF_SERVICE_CHANGE_OPERATION = 'self-service.io/operation=change';
