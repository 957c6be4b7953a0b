import type { ApprovalPolicy } from '@internal/plugin-self-service-common';

/**
 * Columns derived from a request's body when it is recorded. The migration
 * that added them backfills old rows with a frozen copy of these functions.
 */

/** The `name` parameter when the template has one, else the short request id. @internal */
export function resourceNameOf(id: string, parameters: Record<string, unknown>): string {
  const name = parameters.name;
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 255) : id.slice(0, 8);
}

/**
 * Every approver group of every stage, lower case (entity refs compare
 * case-insensitively), as `|ref|ref|`. Empty when the policy has no stages.
 * Still written for existing readers of the table; the approverGroup
 * permission filter now reads the (lower-case) `request_approvers` rows.
 * @internal
 */
export function approverGroupsOf(policy: ApprovalPolicy): string {
  const groups = new Set(policy.stages.flatMap(stage => stage.groups.map(g => g.toLowerCase())));
  return groups.size ? `|${[...groups].sort().join('|')}|` : '';
}
