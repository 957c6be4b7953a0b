import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
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

/** Makes `%`, `_` and the escape character itself literal in a LIKE pattern. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, char => `\\${char}`);
}

/**
 * `approver_groups` holds `|ref|ref|`, lower case; a claim matches a whole
 * ref between two delimiters. Claims are lowered too, as PostgreSQL's LIKE is
 * case-sensitive (SQLite's is not). ESCAPE is explicit because SQLite has no
 * default escape character.
 */
function applyApproverGroups(query: Knex.QueryBuilder, claims: string[], alias: string) {
  // A claim containing the delimiter could span two refs; no entity ref has one.
  const patterns = [...new Set(claims.filter(c => !c.includes('|')).map(c => c.toLowerCase()))].map(
    c => `%|${escapeLike(c)}|%`,
  );
  if (patterns.length === 0) {
    query.whereRaw('1 = 0');
    return;
  }
  query.where(q => {
    for (const pattern of patterns) {
      q.orWhereRaw(`?? LIKE ? ESCAPE '\\'`, [`${alias}.approver_groups`, pattern]);
    }
  });
}
