import type { RequestState } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import type { GrantRow } from './tables';
import { hashToken } from './util';

/**
 * The grant of a request that this token belongs to, with the request's
 * state; undefined when the request does not exist or no grant of it has
 * that token, so a caller without the token cannot tell the two apart.
 * Reads only: checking a grant redeems nothing.
 * @internal
 */
export async function findGrantByToken(
  db: Knex,
  requestId: string,
  token: string,
): Promise<{ grant: GrantRow; state: RequestState } | undefined> {
  const row = await db('grants')
    .join('requests', 'requests.id', 'grants.request_id')
    .where('grants.request_id', requestId)
    .where('grants.token_hash', hashToken(token))
    .first('grants.*', 'requests.state as request_state');
  if (!row) return undefined;
  const { request_state: state, ...grant } = row as GrantRow & {
    request_state: RequestState;
  };
  return { grant, state };
}

/**
 * Whether any request of the team names one of the groups as an approver
 * (any stage, any state). Approver rows and teams are stored lower case.
 * @internal
 */
export async function namesTeamApprover(
  db: Knex,
  team: string,
  groups: string[],
): Promise<boolean> {
  const lowered = [...new Set(groups.map(g => g.toLowerCase()))];
  if (lowered.length === 0) return false;
  const row = await db('request_approvers')
    .join('requests', 'requests.id', 'request_approvers.request_id')
    .where('requests.team', team.toLowerCase())
    .whereIn('request_approvers.group_ref', lowered)
    .first('request_approvers.request_id');
  return row !== undefined;
}
