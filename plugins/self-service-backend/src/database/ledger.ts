import { LIVE_STATES, RESERVING_STATES } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import type { UsageTotals } from '../service/limits';
import { toNumber } from './rows';

/**
 * Takes the team's ledger row lock. Every request creation for a team
 * serialises on it, so the sum it reads next cannot be overtaken by a
 * concurrent reservation for the same team.
 * @internal
 */
export async function lockTeam(tx: Knex.Transaction, team: string, now: Date) {
  await tx('team_ledger').insert({ team, created_at: now }).onConflict('team').ignore();
  await tx('team_ledger').where({ team }).forUpdate().first();
}

/**
 * Usage is derived from request states rather than kept as counters: a
 * request reserves while pending/approved/applying and is live once it
 * succeeded, so every state change releases or converts its share by itself.
 * @internal
 */
export async function sumUsage(
  db: Knex | Knex.Transaction,
  team: string,
): Promise<UsageTotals> {
  const sum = async (states: readonly string[]) => {
    const row = await db('requests')
      .where({ team })
      .whereIn('state', states as string[])
      .first(
        db.raw('COALESCE(SUM(monthly_cost), 0) as monthly'),
        db.raw('COUNT(*) as count'),
      );
    return { monthly: toNumber(row?.monthly), count: toNumber(row?.count) };
  };
  const live = await sum(LIVE_STATES);
  const reserved = await sum(RESERVING_STATES);
  return {
    liveMonthly: live.monthly,
    liveCount: live.count,
    reservedMonthly: reserved.monthly,
    reservedCount: reserved.count,
  };
}
