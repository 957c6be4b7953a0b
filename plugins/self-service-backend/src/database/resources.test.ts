import { ALICE, DAY, HOUR, LEADS, limits, requestBody } from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';
import type { SelfServiceStore } from './SelfServiceStore';

jest.setTimeout(60_000);

const now = new Date('2026-03-01T10:00:00.000Z');
const base = { requester: ALICE, now, decisionTimeoutMs: 7 * DAY, grantTtlMs: 24 * HOUR };
const OUTPUTS = { endpoint: 'orders.internal:5432', port: 5432, encrypted: true };

/** Records an auto-approved request and drives it to `applying`. */
async function applying(store: SelfServiceStore, patch: Parameters<typeof requestBody>[0] = {}) {
  const body = requestBody({ approvalPolicy: { stages: [] }, ...patch });
  const { request } = await store.createRequest({ ...base, body, limits: limits() });
  await store.transition({
    id: request.id,
    from: 'approved',
    to: 'applying',
    actor: 'plugin:scaffolder',
    action: 'grant-redeemed',
    now,
  });
  return request;
}

async function succeed(store: SelfServiceStore, id: string, outputs?: typeof OUTPUTS) {
  const { request } = await store.transitionWithTask({
    id,
    to: 'succeeded',
    actor: 'plugin:scaffolder',
    action: 'reported-succeeded',
    now,
    taskId: 'task-apply',
    outputs,
  });
  return request;
}

describe('resources in the store', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('derives the resource name and approver groups when recording a request', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request: named } = await store.createRequest({
        ...base,
        body: requestBody({
          parameters: { name: 'orders-db', size: 'small' },
          approvalPolicy: {
            stages: [
              { name: 'lead', groups: ['group:default/Team-A-Leads'], quorum: 1 },
              { name: 'dba', groups: ['group:default/dba', LEADS], quorum: 1 },
            ],
          },
        }),
        limits: limits(),
      });
      const { request: unnamed } = await store.createRequest({
        ...base,
        body: requestBody({ parameters: { size: 'small' }, approvalPolicy: { stages: [] } }),
        limits: limits(),
      });
      expect(named.resourceName).toBe('orders-db');
      expect(unnamed.resourceName).toBe(unnamed.id.slice(0, 8));
      const rows = await knex('requests')
        .whereIn('id', [named.id, unnamed.id])
        .select('id', 'approver_groups');
      expect(Object.fromEntries(rows.map(r => [r.id, r.approver_groups]))).toEqual({
        [named.id]: '|group:default/dba|group:default/team-a-leads|',
        [unnamed.id]: '',
      });
    });

    it('stores the outputs of a succeeded apply and returns them', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const request = await applying(store);
      expect(request.outputs).toBeUndefined();
      const done = await succeed(store, request.id, OUTPUTS);
      expect(done.outputs).toEqual(OUTPUTS);
      expect((await store.getRequestDetail(request.id))!.outputs).toEqual(OUTPUTS);
    });

    it('lists succeeded and destroying requests as resources, nothing else', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const live = await applying(store, {
        parameters: { name: 'orders-db' },
        category: 'database',
        expiresAt: '2026-04-01T00:00:00.000Z',
      });
      await succeed(store, live.id, OUTPUTS);
      const destroying = await applying(store, { parameters: { name: 'logs' } });
      await succeed(store, destroying.id);
      await store.transitionWithTask({
        id: destroying.id,
        to: 'destroying',
        actor: 'plugin:scaffolder',
        action: 'reported-destroying',
        now,
        taskId: 'task-destroy',
      });
      const destroyed = await applying(store);
      await succeed(store, destroyed.id);
      for (const [from, to] of [
        ['succeeded', 'destroying'],
        ['destroying', 'destroyed'],
      ] as const) {
        await store.transition({ id: destroyed.id, from, to, actor: 'x', action: 'x', now });
      }
      await applying(store); // still applying
      await store.createRequest({ ...base, body: requestBody(), limits: limits() }); // pending

      // Same creation time: the store orders by id then, so compare as sets.
      const byId = (a: { requestId: string }, b: { requestId: string }) =>
        a.requestId.localeCompare(b.requestId);
      const resources = await store.listLiveResources();
      expect([...resources].sort(byId)).toEqual(resources);
      expect(resources.sort(byId)).toEqual(
        [
          {
            requestId: live.id,
            templateRef: 'template:default/postgres-database',
            type: 'database',
            name: 'orders-db',
            team: 'group:default/team-a',
            environment: 'dev',
            expiresAt: '2026-04-01T00:00:00.000Z',
            tags: ['database', 'postgres-database'],
            outputs: OUTPUTS,
          },
          {
            requestId: destroying.id,
            templateRef: 'template:default/postgres-database',
            type: 'postgres-database',
            name: 'logs',
            team: 'group:default/team-a',
            environment: 'dev',
            tags: ['postgres-database'],
            outputs: {},
          },
        ].sort(byId),
      );
    });
  });
});
