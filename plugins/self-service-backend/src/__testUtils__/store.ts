import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { SelfServiceStore } from '../database/SelfServiceStore';

/**
 * PostgreSQL 15 and SQLite. With CI set and no connection string for
 * PostgreSQL, TestDatabases fails instead of skipping, which is intended.
 */
export function createTestDatabases() {
  return TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
}

export async function createTestStore(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
): Promise<{ knex: Knex; store: SelfServiceStore }> {
  const knex = await databases.init(databaseId);
  const store = await SelfServiceStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, store };
}

/** Everything stored about one request, to prove a refused call changed nothing. */
export async function snapshot(knex: Knex, requestId: string) {
  return {
    request: await knex('requests').where({ id: requestId }).first(),
    decisions: await knex('decisions').where({ request_id: requestId }).orderBy('id'),
    events: await knex('events').where({ request_id: requestId }).orderBy('seq'),
    grants: await knex('grants').where({ request_id: requestId }),
  };
}
