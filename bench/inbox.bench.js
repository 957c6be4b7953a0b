#!/usr/bin/env node
/*
 * Benchmark: the approver inbox and the filtered request list as the table
 * grows, and request creation (with its budget reservation) under load.
 *
 *   node bench/inbox.bench.js [calls=200] [--sqlite-only]   (or: node bench/run.js inbox)
 *
 * Boots the flow tests' backend in-process (real catalog, permission policy
 * and self-service plugin, so every call goes through the real router,
 * authentication, permission conditions and store) once on SQLite (a file,
 * as `npm start` uses) and once on PostgreSQL (a throw-away database from
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, default
 * postgresql://postgres@127.0.0.1:5432). On each it grows the requests
 * table to 1k, 10k and 100k rows spread over 50 teams and 20 approver
 * groups (a third pending approval, the rest in later states): two requests
 * are recorded through the API and cloned with SQL under new ids, teams,
 * requesters, approver groups, states and times, so every row is one the
 * API wrote. At each size it times, through HTTP:
 *
 *   inbox     GET /inbox as dba-alice (member of one of the 20 groups)
 *   list      GET /requests?state=pending_approval as dba-alice (the
 *             permission condition narrows it to what she may read)
 *   page 2    the inbox's second page through its cursor
 *
 * and finally request creation: 20 concurrent clients POST /requests (each
 * reserving budget and quota in its transaction) for team-a, requests/s.
 * Targets: inbox p95 < 20 ms at 100k rows on PostgreSQL, and inbox p95 at
 * 100k no more than 2x the p95 at 1k.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const knexFactory = require('knex');
const { mockCredentials } = require('@backstage/backend-test-utils');

const root = path.resolve(__dirname, '..');
const flowUtils = path.join(root, 'packages/backend/src/flow/__testUtils__');
const { startFlowBackend } = require(path.join(flowUtils, 'harness'));
const { FlowClient, DEV, DBA_ALICE } = require(path.join(flowUtils, 'client'));
const { roomyOrgFile, stats, formatStats } = require(
  path.join(flowUtils, 'bench'),
);
const { requestBody } = require(
  path.join(root, 'plugins/self-service-backend/src/__testUtils__/fixtures'),
);

const SIZES = [1_000, 10_000, 100_000];
const TEAMS = 50;
const GROUPS = 20;
// dba-alice's group is one of the 20 approver groups.
const approverGroup = i =>
  i === 0 ? 'group:default/dba' : `group:default/approvers-${i}`;
const TARGET_P95_MS = 20;
const TARGET_GROWTH = 2;
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
  'postgresql://postgres@127.0.0.1:5432';

const asScaffolderFor = user =>
  `Bearer ${mockCredentials.user.token(user, { actor: { subject: 'plugin:scaffolder' } })}`;

/** Records one request through the API, as the request action would. */
async function recordThroughApi(api, stages) {
  const body = requestBody({
    team: 'group:default/team-a',
    approvalPolicy: { stages },
  });
  const res = await api.call('POST', '/api/self-service/requests', {
    authorization: asScaffolderFor(DEV),
    body,
  });
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(
      `POST /requests: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body.request.id;
}

const LATER_STATES = [
  'succeeded',
  'rejected',
  'canceled',
  'expired',
  'failed',
  'destroyed',
];

/** Adds `count` clones of the template rows, numbered from `from`. */
async function grow(db, template, from, count) {
  const base = Date.parse('2026-01-01T00:00:00Z');
  const chunk = 500;
  for (let start = from; start < from + count; start += chunk) {
    const requests = [];
    const approvers = [];
    for (let i = start; i < Math.min(from + count, start + chunk); i++) {
      const id = randomUUID();
      const pending = i % 3 === 0;
      const group = approverGroup(i % GROUPS);
      const at = new Date(base + i * 60_000);
      requests.push({
        ...template,
        id,
        team: `group:default/team-${i % TEAMS}`,
        approver_groups: `|${group}|`,
        resource_name: `db-${i}`,
        requester: `user:default/user-${i % 500}`,
        state: pending
          ? 'pending_approval'
          : LATER_STATES[i % LATER_STATES.length],
        current_stage: pending ? 0 : null,
        decision_deadline: pending
          ? new Date(Date.now() + 30 * 86_400_000)
          : null,
        task_id: `bench-task-${i}`,
        task_ids: JSON.stringify([`bench-task-${i}`]),
        created_at: at,
        updated_at: at,
      });
      approvers.push({
        request_id: id,
        stage: 0,
        group_ref: group,
        open: pending,
      });
    }
    await db.batchInsert('requests', requests, chunk);
    await db.batchInsert('request_approvers', approvers, chunk);
  }
  // Fresh statistics, as autovacuum would give a table this size.
  if (db.client.config.client === 'pg') await db.raw('ANALYZE');
}

async function time(calls, fn) {
  const values = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn(i);
    values.push(performance.now() - t0);
  }
  return stats(values);
}

async function expectOk(api, url, as) {
  const res = await api.call('GET', url, { as });
  if (res.status !== 200)
    throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function creationRate(api, clients, perClient) {
  const t0 = performance.now();
  let created = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const res = await api.call('POST', '/api/self-service/requests', {
          authorization: asScaffolderFor(DEV),
          body: requestBody({
            team: 'group:default/team-a',
            taskId: `bench-create-${randomUUID()}`,
          }),
        });
        if (res.status !== 201 && res.status !== 200) {
          throw new Error(
            `POST /requests: ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
        created++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { created, seconds, perSecond: created / seconds };
}

async function runOn(label, database, connect, calls) {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'self-service-bench-inbox-'),
  );
  const flow = await startFlowBackend({
    dataDir: dir,
    orgFile: roomyOrgFile(dir),
    database: database(dir),
  });
  const db = connect(dir);
  const results = {};
  try {
    const api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
    const pendingId = await recordThroughApi(api, [
      { name: 'dba', groups: ['group:default/dba'], quorum: 1 },
    ]);
    const template = await db('requests').where({ id: pendingId }).first();
    delete template.id;
    let rows = await db('requests')
      .count({ n: '*' })
      .first()
      .then(r => Number(r.n));
    console.log(`\n${label}`);
    for (const size of SIZES) {
      const t0 = performance.now();
      await grow(db, template, rows, size - rows);
      rows = size;
      const seeded = ((performance.now() - t0) / 1000).toFixed(1);
      // Warm up the connection pool and caches.
      for (let i = 0; i < 10; i++)
        await expectOk(api, '/api/self-service/inbox', DBA_ALICE);
      const first = await expectOk(
        api,
        '/api/self-service/inbox?limit=25',
        DBA_ALICE,
      );
      const inbox = await time(calls, () =>
        expectOk(api, '/api/self-service/inbox?limit=25', DBA_ALICE),
      );
      const list = await time(calls, () =>
        expectOk(
          api,
          '/api/self-service/requests?state=pending_approval&limit=25',
          DBA_ALICE,
        ),
      );
      // dba-alice sees one group's share of the pending third: ~17 at 1k.
      const page2 = first.nextCursor
        ? await time(calls, () =>
            expectOk(
              api,
              `/api/self-service/inbox?limit=25&cursor=${encodeURIComponent(first.nextCursor)}`,
              DBA_ALICE,
            ),
          )
        : undefined;
      results[size] = { inbox, list, page2 };
      console.log(
        `  ${String(size).padStart(6)} rows (seeded in ${seeded} s; inbox page has ${first.items.length} items)`,
      );
      console.log(`    inbox   ${formatStats(inbox)}`);
      console.log(`    list    ${formatStats(list)}`);
      if (page2) console.log(`    page 2  ${formatStats(page2)}`);
    }
    const rate = await creationRate(api, 20, 10);
    console.log(
      `  creation with reservation, 20 concurrent clients: ${rate.created} requests in ${rate.seconds.toFixed(2)} s = ${rate.perSecond.toFixed(0)} requests/s`,
    );
    const growth = results[100_000].inbox.p95 / results[1_000].inbox.p95;
    console.log(
      `  inbox p95 at 100k / at 1k: ${growth.toFixed(2)} (target <= ${TARGET_GROWTH})`,
    );
    return { results, growth, rate };
  } finally {
    await db.destroy();
    await flow.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const calls = Number(process.argv.slice(2).find(a => /^\d+$/.test(a)) ?? 200);
  const sqliteOnly = process.argv.includes('--sqlite-only');
  console.log(
    `Inbox and list through the real router, ${calls} calls per figure, limit 25`,
  );
  const sqlite = await runOn(
    'SQLite (file, as npm start)',
    dir => ({
      client: 'better-sqlite3',
      connection: { directory: path.join(dir, 'db') },
    }),
    dir =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'db', 'self-service.sqlite') },
        useNullAsDefault: true,
      }),
    calls,
  );
  let met = sqlite.growth <= TARGET_GROWTH;
  if (!sqliteOnly) {
    const prefix = `bench_inbox_${Date.now()}_`;
    const admin = knexFactory({ client: 'pg', connection: PG });
    try {
      const pg = await runOn(
        'PostgreSQL',
        () => ({ client: 'pg', connection: PG, prefix }),
        () =>
          knexFactory({
            client: 'pg',
            connection: `${PG}/${prefix}self-service`,
            pool: { min: 0, max: 4 },
          }),
        calls,
      );
      const p95 = pg.results[100_000].inbox.p95;
      const ok = p95 < TARGET_P95_MS && pg.growth <= TARGET_GROWTH;
      console.log(
        `\nPostgreSQL inbox p95 at 100k rows: ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms), growth ${pg.growth.toFixed(2)} (target <= ${TARGET_GROWTH}) -> ${ok ? 'MET' : 'NOT MET'}`,
      );
      met = met && ok;
    } finally {
      const { rows } = await admin.raw(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`${prefix}%`],
      );
      for (const { datname } of rows)
        await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.destroy();
    }
  }
  return met;
}

// Exits explicitly: a stopped test backend leaves the scaffolder's pollers' timers behind.
main().then(
  met => process.exit(met ? 0 : 1),
  error => {
    console.error(error);
    process.exit(1);
  },
);
