import { createTestDatabases } from '../__testUtils__/store';
import { SelfServiceStore } from './SelfServiceStore';

jest.setTimeout(60_000);

const TABLES = [
  'requests',
  'request_approvers',
  'decisions',
  'grants',
  'team_ledger',
  'events',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'go up and down and up again, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = SelfServiceStore.migrationsDir;

      await knex.migrate.latest({ directory });
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      await knex.migrate.rollback({ directory }, true);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }

      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasColumn('requests', 'plan_hash')).toBe(true);
      expect(await knex.schema.hasColumn('grants', 'token_hash')).toBe(true);
    },
  );
});
