import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import { isAndCriteria, isNotCriteria, isOrCriteria } from '@backstage/plugin-permission-node';
import type { Knex } from 'knex';

/**
 * The query form of the request permission rules: the column it filters and
 * the values that pass.
 * @public
 */
export interface SelfServiceRequestFilter {
  /**
   * `requester` and `team` match the column; `approverGroup` matches when
   * any stage of the request names one of the values (case-insensitive).
   */
  key: 'requester' | 'team' | 'approverGroup';
  values: string[];
}

/** @internal */
export type RequestCriteria = PermissionCriteria<SelfServiceRequestFilter>;

/**
 * Turns conditional permission criteria into a WHERE clause on `requests`,
 * keeping the and/or/not structure the policy returned.
 * @internal
 */
export function applyRequestCriteria(
  query: Knex.QueryBuilder,
  criteria: RequestCriteria,
  alias = 'requests',
): void {
  if (isAndCriteria(criteria)) {
    if (criteria.allOf.length === 0) return;
    query.where(q => {
      for (const inner of criteria.allOf) {
        q.andWhere(sub => applyRequestCriteria(sub, inner, alias));
      }
    });
  } else if (isOrCriteria(criteria)) {
    if (criteria.anyOf.length === 0) {
      query.whereRaw('1 = 0');
      return;
    }
    query.where(q => {
      for (const inner of criteria.anyOf) {
        q.orWhere(sub => applyRequestCriteria(sub, inner, alias));
      }
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(q => applyRequestCriteria(q, criteria.not, alias));
  } else if (criteria.values.length === 0) {
    // An empty claim list matches nothing.
    query.whereRaw('1 = 0');
  } else if (criteria.key === 'approverGroup') {
    applyApproverGroups(query, criteria.values, alias);
  } else {
    query.whereIn(`${alias}.${criteria.key}`, criteria.values);
  }
}

/**
 * Requests with an approver row (any stage) for one of the claims. Approver
 * rows are lower case, and so are the claims here: entity refs compare
 * case-insensitively. As an `id IN (…)` over the rows' index, the database
 * can answer an OR of this with the requester and team conditions from
 * indexes instead of reading every request.
 */
function applyApproverGroups(query: Knex.QueryBuilder, claims: string[], alias: string) {
  const lowered = [...new Set(claims.map(c => c.toLowerCase()))];
  query.whereIn(`${alias}.id`, sub =>
    sub
      .select('request_approvers.request_id')
      .from('request_approvers')
      .whereIn('request_approvers.group_ref', lowered),
  );
}
