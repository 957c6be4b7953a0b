import { LIVE_STATES, RESERVING_STATES } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import type { UsageTotals } from '@internal/plugin-self-service-common';
import { toNumber } from './rows';

/**
 * Takes the team's ledger row lock. Every request creation for a team
 * serialises on it, so the sum it reads next cannot be overtaken by a
 * concurrent reservation for the same team.
 * @internal
 */
export async function lockTeam(tx: Knex.Transaction, team: string, now: Date) {
  // One statement, whether the row is new or not: an upsert that updates
  // on conflict locks the existing row as an UPDATE does (PostgreSQL), and
  // a write takes SQLite's database lock.
  await tx('team_ledger').insert({ team, created_at: now }).onConflict('team').merge(['team']);
}

/**
 * Usage is derived from request states rather than kept as counters: a
 * request reserves while pending/approved/applying and is live once it
 * succeeded, so every state change releases or converts its share by itself.
 *
 * Only a provisioning request is a resource: it alone counts against the
 * quota and, once succeeded, as live spend. A change reserves what it adds
 * to its resource's cost (nothing when it lowers it) and, once applied,
 * moves the resource's own cost instead; an extension costs nothing.
 * @internal
 */
export async function sumUsage(db: Knex | Knex.Transaction, team: string): Promise<UsageTotals> {
  // One pass over the team's counting rows; the states are constants, so
  // they are bound, never spliced.
  const live = LIVE_STATES as readonly string[];
  const reserving = RESERVING_STATES as readonly string[];
  const inStates = (states: readonly string[]) =>
    `state IN (${states.map(() => '?').join(', ')})`;
  const added =
    "CASE WHEN kind = 'change' THEN (CASE WHEN monthly_cost > COALESCE(previous_monthly_cost, 0) " +
    'THEN monthly_cost - COALESCE(previous_monthly_cost, 0) ELSE 0 END) ' +
    "WHEN kind = 'extension' THEN 0 ELSE monthly_cost END";
  const total = (alias: string, condition: string, states: readonly string[], value: string) =>
    db.raw(
      `COALESCE(SUM(CASE WHEN ${condition} THEN ${value} ELSE 0 END), 0) as ${alias}`,
      [...states],
    );
  const resource = "kind = 'provision' AND ";
  const row = await db('requests')
    .where({ team })
    .whereIn('state', [...live, ...reserving])
    .first(
      total('live_monthly', resource + inStates(live), live, 'monthly_cost'),
      total('live_count', resource + inStates(live), live, '1'),
      total('reserved_monthly', inStates(reserving), reserving, added),
      total('reserved_count', resource + inStates(reserving), reserving, '1'),
    );
  return {
    liveMonthly: toNumber(row?.live_monthly),
    liveCount: toNumber(row?.live_count),
    reservedMonthly: toNumber(row?.reserved_monthly),
    reservedCount: toNumber(row?.reserved_count),
  };
}
