import { ConflictError } from '@backstage/errors';
import {
  REQUEST_STATES,
  REQUEST_TRANSITIONS,
  type RequestState,
} from '@internal/plugin-self-service-common';
import {
  ALICE,
  DAY,
  HOUR,
  LEADS,
  TEAM,
  limits,
  requestBody,
} from '../__testUtils__/fixtures';
import {
  createTestDatabases,
  createTestStore,
  snapshot,
} from '../__testUtils__/store';
import { hashToken } from './util';

jest.setTimeout(60_000);

const EDGES = Object.values(REQUEST_TRANSITIONS).flat().length;
const now = new Date('2026-01-10T10:00:00.000Z');
const base = {
  requester: ALICE,
  now,
  decisionTimeoutMs: 7 * DAY,
  grantTtlMs: 24 * HOUR,
};

describe('SelfServiceStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('records a request that needs approval, reserving its cost', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request, grant, created } = await store.createRequest({
        ...base,
        body: requestBody(),
        limits: limits(),
      });
      expect(created).toBe(true);
      expect(grant).toBeUndefined();
      expect(request).toMatchObject({
        state: 'pending_approval',
        currentStage: 0,
        requester: ALICE,
        team: TEAM,
        decisionDeadline: new Date(now.getTime() + 7 * DAY).toISOString(),
        taskIds: [expect.stringMatching(/^task-/)],
      });
      const events = await knex('events')
        .where({ request_id: request.id })
        .orderBy('seq');
      expect(events.map(e => [e.from_state, e.to_state, e.action])).toEqual([
        [null, 'submitted', 'created'],
        ['submitted', 'pending_approval', 'submitted-for-approval'],
      ]);
      expect(
        await knex('request_approvers')
          .select('request_id', 'stage', 'group_ref')
          .where({ request_id: request.id, open: true }),
      ).toEqual([{ request_id: request.id, stage: 0, group_ref: LEADS }]);
      expect(await store.getUsage(TEAM)).toEqual({
        liveMonthly: 0,
        liveCount: 0,
        reservedMonthly: 100,
        reservedCount: 1,
      });
    });

    it('auto-approves an empty policy with a grant bound to the creating task', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const { request, grant } = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      expect(request.state).toBe('approved');
      expect(grant!.token.length).toBeGreaterThanOrEqual(43);
      expect(grant!.expiresAt).toEqual(new Date(now.getTime() + 24 * HOUR));
      const [row] = await knex('grants').where({ request_id: request.id });
      expect(row).toMatchObject({
        task_id: body.taskId,
        token_hash: hashToken(grant!.token),
        plan_hash: body.planHash,
        parameters_hash: body.parametersHash,
        consumed_at: null,
      });
      expect(JSON.stringify(row)).not.toContain(grant!.token);
    });

    it('denies a request with a deny finding and reserves nothing', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const { request, grant } = await store.createRequest({
        ...base,
        body: requestBody({
          findings: [
            {
              code: 'storage.max',
              severity: 'deny',
              message: 'storage 900 GB > 500 GB',
            },
          ],
        }),
        limits: limits({ monthlyBudget: 0, resourceQuota: 0 }),
      });
      expect(request).toMatchObject({
        state: 'denied',
        stateReason: 'storage 900 GB > 500 GB',
      });
      expect(grant).toBeUndefined();
      expect((await store.getUsage(TEAM)).reservedCount).toBe(0);
    });

    it('refuses a request over the limits, naming every limit, and stores nothing', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      for (let i = 0; i < 2; i++) {
        await store.createRequest({
          ...base,
          body: requestBody(),
          limits: limits(),
        });
      }
      const attempt = store.createRequest({
        ...base,
        body: requestBody({
          cost: { currency: 'USD', monthlyTotal: 850, lines: [], unpriced: [] },
        }),
        limits: limits({ resourceQuota: 2 }),
      });
      await expect(attempt).rejects.toThrow(ConflictError);
      await expect(attempt).rejects.toThrow(
        'Request exceeds the limits of group:default/team-a: ' +
          'monthly budget: $0 used + $200 reserved + $850 requested > $1,000 limit; ' +
          'resource quota: 0 live + 2 reserved + 1 requested > 2 limit',
      );
      expect(Number((await knex('requests').count({ n: '*' }))[0].n)).toBe(2);
    });

    it('is idempotent per task and step', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const body = requestBody();
      const first = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      const again = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      expect(again.created).toBe(false);
      expect(again.request.id).toBe(first.request.id);
      expect((await store.getUsage(TEAM)).reservedCount).toBe(1);
      await expect(
        store.createRequest({
          ...base,
          body: { ...body, parametersHash: 'f'.repeat(64) },
          limits: limits(),
        }),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.createRequest({
          ...base,
          requester: 'user:default/eve',
          body,
          limits: limits(),
        }),
      ).rejects.toThrow(ConflictError);
    });

    it('gives a retried auto-approved step a new token and voids the old one', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const first = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      const again = await store.createRequest({
        ...base,
        body,
        limits: limits(),
      });
      expect(again.grant!.token).not.toBe(first.grant!.token);
      const [row] = await knex('grants').where({
        request_id: first.request.id,
      });
      expect(row.token_hash).toBe(hashToken(again.grant!.token));
    });

    it('refuses every transition the lifecycle does not list, changing nothing', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request } = await store.createRequest({
        ...base,
        body: requestBody(),
        limits: limits(),
      });
      let refused = 0;
      for (const from of REQUEST_STATES) {
        await knex('requests')
          .where({ id: request.id })
          .update({ state: from });
        for (const to of REQUEST_STATES) {
          if (REQUEST_TRANSITIONS[from].includes(to)) continue;
          const before = await snapshot(knex, request.id);
          await expect(
            store.transition({
              id: request.id,
              from,
              to,
              actor: ALICE,
              action: 'x',
              now,
            }),
          ).rejects.toThrow(ConflictError);
          expect(await snapshot(knex, request.id)).toEqual(before);
          refused += 1;
        }
      }
      expect(refused).toBe(REQUEST_STATES.length ** 2 - EDGES);
    });

    it('allows each listed transition only from the state the row is in', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request } = await store.createRequest({
        ...base,
        body: requestBody(),
        limits: limits(),
      });
      for (const from of REQUEST_STATES) {
        for (const to of REQUEST_TRANSITIONS[from]) {
          // The row is somewhere else: the compare-and-set must miss.
          const elsewhere: RequestState =
            from === 'failed' ? 'denied' : 'failed';
          await knex('requests')
            .where({ id: request.id })
            .update({ state: elsewhere });
          await expect(
            store.transition({
              id: request.id,
              from,
              to,
              actor: ALICE,
              action: 'x',
              now,
            }),
          ).rejects.toThrow(`is ${elsewhere}, expected ${from}`);

          await knex('requests')
            .where({ id: request.id })
            .update({ state: from });
          const moved = await store.transition({
            id: request.id,
            from,
            to,
            actor: ALICE,
            action: 'test',
            reason: `${from}->${to}`,
            now,
          });
          expect(moved).toMatchObject({
            state: to,
            stateReason: `${from}->${to}`,
          });
        }
      }
      const events = await knex('events').where({
        request_id: request.id,
        action: 'test',
      });
      expect(events).toHaveLength(EDGES);
    });
  });
});
