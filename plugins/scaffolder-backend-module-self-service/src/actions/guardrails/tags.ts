/**
 * The tags every resource gets, passed to Terraform as the `tags` variable.
 * `request-key` is the id of the scaffolder task that created the request
 * (the request's first task id): the request id itself is assigned only after
 * the plan, and the tags must be the same when the approved request is
 * applied, or the plan would differ from the approved one.
 */
export function autoTags(options: {
  team: string;
  costCenter?: string;
  environment: string;
  requestKey: string;
  template: string;
  expiresAt?: string;
}): Record<string, string> {
  return {
    team: options.team,
    'cost-center': options.costCenter ?? 'unassigned',
    environment: options.environment,
    'request-key': options.requestKey,
    template: options.template,
    ...(options.expiresAt ? { 'expires-at': options.expiresAt } : {}),
    'managed-by': 'backstage-self-service',
  };
}
