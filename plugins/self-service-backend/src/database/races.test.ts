import { ConflictError } from '@backstage/errors';
import {
  ALICE,
  DAY,
  HOUR,
  LEADS,
  TEAM,
  limits,
  requestBody,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';

jest.setTimeout(120_000);

const now = new Date('2026-01-10T10:00:00.000Z');
const later = new Date(now.getTime() + HOUR);
const base = { requester: ALICE, now, decisionTimeoutMs: 7 * DAY, grantTtlMs: 24 * HOUR };
const N = 20;

function outcomes(results: PromiseSettledResult<unknown>[]) {
  const ok = results.filter(r => r.status === 'fulfilled').length;
  const errors = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map(r => r.reason);
  return { ok, errors };
}

/**
 * The store's concurrency guarantees. They matter on PostgreSQL, where the
 * test pool runs several transactions at once; SQLite serialises writers and
 * must reach the same results.
 */
describe('races', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it(`${N} parallel approvals of a quorum-1 request mint exactly one grant`, async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const { request } = await store.createRequest({
        ...base,
        body: requestBody(),
        limits: limits(),
      });
      const results = await Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          store.decide({
            id: request.id,
            decider: {
              userEntityRef: `user:default/lead-${i}`,
              ownershipEntityRefs: [LEADS],
            },
            decision: 'approve',
            now: later,
            grantTtlMs: 24 * HOUR,
          }),
        ),
      );
      const { ok, errors } = outcomes(results);
      expect(ok).toBe(1);
      expect(errors).toHaveLength(N - 1);
      errors.forEach(e => expect(e).toBeInstanceOf(ConflictError));
      expect(await knex('grants').where({ request_id: request.id })).toHaveLength(1);
      expect(await knex('decisions').where({ request_id: request.id })).toHaveLength(1);
      const transitions = await knex('events').where({
        request_id: request.id,
        to_state: 'approved',
      });
      expect(transitions).toHaveLength(1);
    });

    it(`${N} parallel $100 requests against $1,000 reserve exactly 10`, async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const results = await Promise.allSettled(
        Array.from({ length: N }, () =>
          store.createRequest({ ...base, body: requestBody(), limits: limits() }),
        ),
      );
      const { ok, errors } = outcomes(results);
      expect(ok).toBe(10);
      errors.forEach(e => {
        expect(e).toBeInstanceOf(ConflictError);
        expect(String(e.message)).toContain('monthly budget');
      });
      expect(await store.getUsage(TEAM)).toMatchObject({
        reservedMonthly: 1000,
        reservedCount: 10,
      });
      const [{ n }] = await knex('requests').count({ n: '*' });
      expect(Number(n)).toBe(10);
    });

    it(`${N} parallel redemptions of one grant succeed once`, async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const { request, grant } = await store.createRequest({ ...base, body, limits: limits() });
      const claim = {
        requestId: request.id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash!,
        taskId: body.taskId,
        token: grant!.token,
      };
      const results = await Promise.allSettled(
        Array.from({ length: N }, () =>
          store.redeemGrant(claim, { actor: 'plugin:scaffolder', now: later }),
        ),
      );
      const { ok, errors } = outcomes(results);
      expect(ok).toBe(1);
      errors.forEach(e => expect(e).toBeInstanceOf(ConflictError));
      const events = await knex('events').where({
        request_id: request.id,
        action: 'grant-redeemed',
      });
      expect(events).toHaveLength(1);
    });
  });
});
