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
const ADDED_COLUMNS = ['resource_name', 'outputs', 'approver_groups'];

/** A request row as the first migration knows it. */
function initRow(id: string, parameters: object, stages: object[]) {
  const now = new Date('2026-01-01T00:00:00.000Z');
  return {
    id,
    template_ref: 'template:default/postgres-database',
    template_steps_hash: 'a'.repeat(64),
    parameters: JSON.stringify(parameters),
    parameters_hash: 'b'.repeat(64),
    requester: 'user:default/alice',
    team: 'group:default/team-a',
    environment: 'dev',
    findings: '[]',
    cost: '{}',
    approval_policy: JSON.stringify({ stages }),
    state: 'succeeded',
    task_id: `task-${id}`,
    step_id: 'request',
    task_ids: '[]',
    resource_refs: '[]',
    created_at: now,
    updated_at: now,
  };
}

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
      for (const column of ADDED_COLUMNS) {
        expect(await knex.schema.hasColumn('requests', column)).toBe(true);
      }

      expect(await knex.schema.hasColumn('grants', 'purpose')).toBe(true);

      // A request may hold an apply and a destroy grant, but not two of one kind.
      const requestId = '2d9e3b3a-8c73-4e3c-9f3b-4f5e6d7c8b9a';
      await knex('requests').insert({
        ...initRow(requestId, {}, []),
        resource_name: 'x',
        approver_groups: '',
      });
      const grant = (id: string, purpose?: string) => ({
        id,
        request_id: requestId,
        token_hash: 'c'.repeat(64),
        template_ref: 'template:default/postgres-database',
        parameters_hash: 'b'.repeat(64),
        plan_hash: null,
        expires_at: new Date('2026-01-02T00:00:00.000Z'),
        created_at: new Date('2026-01-01T00:00:00.000Z'),
        ...(purpose ? { purpose } : {}),
      });
      await knex('grants').insert(
        grant('3e0f4c4b-9d84-4f4d-8a4c-5a6f7e8d9c0b'),
      );
      await knex('grants').insert(
        grant('4f105d5c-ae95-4a5e-9b5d-6b7a8f9e0d1c', 'destroy'),
      );
      expect(
        (await knex('grants').select('purpose').orderBy('purpose')).map(
          r => r.purpose,
        ),
      ).toEqual(['apply', 'destroy']);
      // Compared by message: the driver's error class may come from another jest realm.
      const duplicate = await knex('grants')
        .insert(grant('5a216e6d-bfa6-4b6f-8c6e-7c8b9a0f1e2d', 'destroy'))
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(String(duplicate?.message)).toMatch(/unique/i);

      // The request-kinds migration: existing requests are provisions whose
      // state is keyed by the task that created them; going down drops the
      // changes and extensions (the columns cannot hold them).
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('requests', 'kind')).toBe(false);
      await knex.migrate.up({ directory });
      expect(await knex('requests').where({ id: requestId }).first()).toMatchObject({
        kind: 'provision',
        state_key: `task-${requestId}`,
        target_request_id: null,
      });
      const extensionId = '3e0f4c4b-9d84-4f4d-8a4c-5a6f7e8d9c0b';
      await knex('requests').insert({
        ...initRow(extensionId, { days: 3 }, []),
        kind: 'extension',
        target_request_id: requestId,
        extension_days: 3,
      });
      await knex.migrate.down({ directory });
      expect(await knex('requests').where({ id: extensionId })).toHaveLength(0);
      expect(await knex('requests').where({ id: requestId })).toHaveLength(1);
      for (const column of ['kind', 'target_request_id', 'state_key', 'extension_days']) {
        expect(await knex.schema.hasColumn('requests', column)).toBe(false);
      }

      // The lifecycle migration: notice tables, and events that outlive
      // their request; going down drops the orphaned events and the tables.
      expect(await knex.schema.hasTable('request_notices')).toBe(true);
      expect(await knex.schema.hasTable('team_notices')).toBe(true);
      const goneId = '6b327f7e-c0b7-4c7f-9d7f-8d9c0b1a2f3e';
      await knex('requests').insert({ ...initRow(goneId, {}, []), state: 'rejected' });
      const event = (id: string, request: string) => ({
        id,
        request_id: request,
        actor: 'user:default/alice',
        action: 'created',
        created_at: new Date('2026-01-01T00:00:00.000Z'),
      });
      await knex('events').insert([
        event('7c438a8f-d1c8-4d8a-8e8a-9e0d1c2b3a4f', goneId),
        event('8d549b9a-e2d9-4e9b-9f9b-af1e2d3c4b5a', requestId),
      ]);
      await knex('requests').where({ id: goneId }).delete();
      expect(await knex('events').where({ request_id: goneId })).toHaveLength(1);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('request_notices')).toBe(false);
      expect(await knex.schema.hasTable('team_notices')).toBe(false);
      expect(await knex('events').where({ request_id: goneId })).toHaveLength(0);
      expect(await knex('events').where({ request_id: requestId })).toHaveLength(1);
      await knex('events').where({ request_id: requestId }).delete();

      // The approver-ref case migration has nothing to undo.
      await knex.migrate.down({ directory });

      // The plan file digest migration goes down alone.
      expect(await knex.schema.hasColumn('grants', 'plan_file_digest')).toBe(
        true,
      );
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('grants', 'plan_file_digest')).toBe(
        false,
      );

      // The open approver rows migration goes down alone.
      expect(await knex.schema.hasColumn('request_approvers', 'open')).toBe(
        true,
      );
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('request_approvers', 'open')).toBe(
        false,
      );
      expect(await knex.schema.hasColumn('grants', 'purpose')).toBe(true);

      // The grant purpose migration goes down alone, dropping destroy grants.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('grants', 'purpose')).toBe(false);
      expect(Number((await knex('grants').count({ n: '*' }))[0].n)).toBe(1);
      await knex('requests').where({ id: requestId }).delete();
      expect(await knex.schema.hasColumn('grants', 'token_hash')).toBe(true);

      // The outputs migration goes down alone and leaves the tables in place.
      await knex.migrate.down({ directory });
      for (const column of ADDED_COLUMNS) {
        expect(await knex.schema.hasColumn('requests', column)).toBe(false);
      }
      expect(await knex.schema.hasColumn('requests', 'plan_hash')).toBe(true);
      await knex.migrate.up({ directory });
      expect(await knex.schema.hasColumn('requests', 'approver_groups')).toBe(
        true,
      );
      await knex.migrate.up({ directory });
      expect(await knex.schema.hasColumn('grants', 'purpose')).toBe(true);
      await knex.migrate.up({ directory });
      expect(await knex.schema.hasColumn('request_approvers', 'open')).toBe(
        true,
      );
      await knex.migrate.up({ directory });
      expect(await knex.schema.hasColumn('grants', 'plan_file_digest')).toBe(
        true,
      );

      await knex.migrate.rollback({ directory }, true);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }

      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasColumn('requests', 'plan_hash')).toBe(true);
      expect(await knex.schema.hasColumn('grants', 'token_hash')).toBe(true);
      expect(await knex.schema.hasColumn('requests', 'outputs')).toBe(true);
      expect(await knex.schema.hasColumn('grants', 'purpose')).toBe(true);
      expect(await knex.schema.hasColumn('request_approvers', 'open')).toBe(
        true,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'opens the approver rows of the stage each pending request waits on, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = SelfServiceStore.migrationsDir;
      for (let i = 0; i < 3; i++) await knex.migrate.up({ directory });
      const stages = [
        { name: 'lead', groups: ['group:default/leads'], quorum: 1 },
        { name: 'dba', groups: ['group:default/dba'], quorum: 1 },
      ];
      const pending = '6d8e2b2f-1a62-4d2b-8e2a-3e4d5c6b7a01';
      const done = '7e9f3c3a-2b73-4e3c-9f3b-4f5e6d7c8b02';
      for (const [id, state, stage] of [
        [pending, 'pending_approval', 1],
        [done, 'rejected', null],
      ] as const) {
        await knex('requests').insert({
          ...initRow(id, {}, stages),
          state,
          current_stage: stage,
          resource_name: 'x',
          approver_groups: '|group:default/dba|group:default/leads|',
        });
        await knex('request_approvers').insert([
          { request_id: id, stage: 0, group_ref: 'group:default/leads' },
          { request_id: id, stage: 1, group_ref: 'group:default/dba' },
        ]);
      }
      await knex.migrate.latest({ directory });
      const rows = await knex('request_approvers')
        .select('request_id', 'stage')
        .where('open', true);
      expect(rows).toEqual([{ request_id: pending, stage: 1 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lowers the case of approver rows, dropping a row whose lower-case twin exists, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = SelfServiceStore.migrationsDir;
      for (let i = 0; i < 5; i++) await knex.migrate.up({ directory });
      const id = '8fa04d4b-3c84-4f4d-8a4c-5a6f7e8d9c03';
      await knex('requests').insert({
        ...initRow(id, {}, []),
        state: 'pending_approval',
        current_stage: 0,
        resource_name: 'x',
        approver_groups: '|group:default/dba|group:default/leads|',
      });
      await knex('request_approvers').insert([
        {
          request_id: id,
          stage: 0,
          group_ref: 'group:default/DBA',
          open: true,
        },
        {
          request_id: id,
          stage: 0,
          group_ref: 'group:default/dba',
          open: true,
        },
        {
          request_id: id,
          stage: 1,
          group_ref: 'group:default/Leads',
          open: false,
        },
      ]);
      await knex.migrate.latest({ directory });
      const rows = await knex('request_approvers')
        .select('stage', 'group_ref', 'open')
        .where('request_id', id)
        .orderBy('stage');
      expect(rows.map(r => ({ ...r, open: Boolean(r.open) }))).toEqual([
        { stage: 0, group_ref: 'group:default/dba', open: true },
        { stage: 1, group_ref: 'group:default/leads', open: false },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'backfills the resource name and approver groups of existing requests, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = SelfServiceStore.migrationsDir;
      await knex.migrate.up({ directory }); // the first migration only
      const named = '0b7c1f1e-6a51-4c1a-9d1f-2d3c4b5a6978';
      const unnamed = '1c8d2a2f-7b62-4d2b-8e2a-3e4d5c6b7a89';
      await knex('requests').insert([
        initRow(named, { name: '  orders-db ' }, [
          { name: 'lead', groups: ['group:default/Team-A-Leads'], quorum: 1 },
          {
            name: 'dba',
            groups: ['group:default/dba', 'group:default/team-a-leads'],
            quorum: 1,
          },
        ]),
        initRow(unnamed, { size: 'small', name: 42 }, []),
      ]);

      // More rows than one backfill batch, all after the two above by id.
      const filler = Array.from({ length: 501 }, (_, i) =>
        initRow(
          `f${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`,
          {},
          [],
        ),
      );
      await knex.batchInsert('requests', filler, 100);

      await knex.migrate.latest({ directory });
      const [{ n }] = await knex('requests')
        .whereNull('resource_name')
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
      const rows = await knex('requests')
        .select('id', 'resource_name', 'approver_groups', 'outputs')
        .whereIn('id', [named, unnamed])
        .orderBy('id');
      expect(rows).toEqual([
        {
          id: named,
          resource_name: 'orders-db',
          approver_groups: '|group:default/dba|group:default/team-a-leads|',
          outputs: null,
        },
        {
          id: unnamed,
          resource_name: '1c8d2a2f',
          approver_groups: '',
          outputs: null,
        },
      ]);
    },
  );
});
