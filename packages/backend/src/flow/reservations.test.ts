/*
 * Flow 5 (security invariant 4, budgets): a pending request reserves its
 * cost; rejection and cancellation release it; a team at its budget is
 * refused with the numbers, by the guardrails step and, when the plan costs
 * more than the form suggested, by the backend's own check. Expiry is in
 * expiry.test.ts (it needs a backend with short timeouts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DEV,
  FlowClient,
  LEAD,
  OUTSIDER,
  waitFor,
} from './__testUtils__/client';
import { applies, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: budget reservations', () => {
  let flow: FlowBackend;
  let api: FlowClient;

  beforeAll(async () => {
    flow = await startFlowBackend();
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });

  afterAll(async () => {
    await flow?.stop();
  });

  async function submit(values: Record<string, unknown>) {
    const taskId = await api.startTaskOk(DEV, databaseParameters(values));
    const task = await api.waitForTask(taskId);
    return { taskId, task, request: await api.requestOfTask(taskId) };
  }

  async function pending(name: string, values: Record<string, unknown> = {}) {
    const { task, request } = await submit({
      name,
      environment: 'production',
      ...values,
    });
    expect({ status: task.status, state: request?.state }).toEqual({
      status: 'completed',
      state: 'pending_approval',
    });
    return request!;
  }

  it('reserves while pending and releases on rejection', async () => {
    const before = await api.usage();
    const request = await pending('orders-rejected');
    const during = await api.usage();
    expect(during.budget.reserved).toBeCloseTo(
      before.budget.reserved + request.cost.monthlyTotal,
      2,
    );
    expect(during.quota.reserved).toBe(before.quota.reserved + 1);
    expect(during.budget.remaining).toBeCloseTo(
      before.budget.remaining - request.cost.monthlyTotal,
      2,
    );

    const rejected = await api.decide(request.id, LEAD, 'reject', 'too early');
    expect(rejected.status).toBe(200);
    expect(rejected.body.state).toBe('rejected');
    expect(await api.usage()).toEqual(before);
    // A rejected request stays rejected.
    const late = await api.decide(request.id, LEAD, 'approve');
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);

    await waitFor('the rejection notification', async () =>
      (await api.notifications(DEV)).find(
        n =>
          n.payload.link?.endsWith(request.id) &&
          n.payload.title.endsWith('was rejected'),
      ),
    );
  });

  it('releases on cancellation by the requester, and only the requester', async () => {
    const before = await api.usage();
    const request = await pending('orders-canceled');
    expect((await api.usage()).quota.reserved).toBe(before.quota.reserved + 1);

    expect((await api.cancel(request.id, OUTSIDER)).status).toBe(403);
    expect((await api.cancel(request.id, LEAD)).status).toBe(403);
    const canceled = await api.cancel(request.id, DEV);
    expect(canceled.status).toBe(200);
    expect(canceled.body.state).toBe('canceled');
    expect(await api.usage()).toEqual(before);
    expect((await api.cancel(request.id, DEV)).status).toBe(409);
  });

  describe('at the budget', () => {
    // The module's plan for a large instance (price book: large = db.r6g.xlarge).
    let plan: string;
    let original: string;
    beforeAll(() => {
      plan = path.join(flow.fixturesDir, 'create/plan.json');
      original = fs.readFileSync(plan, 'utf8');
      fs.writeFileSync(
        plan,
        original.replace(
          '"instance_class": "db.t4g.small"',
          '"instance_class": "db.r6g.xlarge"',
        ),
      );
    });
    afterAll(() => {
      fs.writeFileSync(plan, original);
    });

    const large = { instance_size: 'large', storage_gb: 500 };
    // 0.48 USD/h x 730 h + 500 GB x 0.115 USD
    const LARGE_MONTHLY = 407.9;

    it('refuses requests over the budget, with the numbers, and admits them once released', async () => {
      const before = await api.usage();
      expect(before.budget).toMatchObject({
        limit: 1000,
        reserved: 0,
        live: 0,
      });

      const first = await pending('big-one', large);
      const second = await pending('big-two', large);
      expect(first.cost.monthlyTotal).toBeCloseTo(LARGE_MONTHLY, 2);
      expect((await api.usage()).budget.reserved).toBeCloseTo(
        2 * LARGE_MONTHLY,
        2,
      );

      // The guardrails step refuses from the form's estimate.
      const third = await submit({
        name: 'big-three',
        environment: 'production',
        ...large,
      });
      expect(third.task.status).toBe('failed');
      expect(third.request).toBeUndefined();
      expect(third.task.log).toContain(
        "budget.exceeded: Team team-a's monthly budget of $1,000 would be exceeded: " +
          '$0 live + $815.80 reserved + $407.90 for this request = $1,223.70, $223.70 over.',
      );

      // The form says small, the plan says large: the backend prices the
      // plan and refuses in the transaction that would have reserved it.
      const fourth = await submit({
        name: 'big-four',
        environment: 'production',
        storage_gb: 500,
      });
      expect(fourth.task.status).toBe('failed');
      expect(fourth.request).toBeUndefined();
      expect(fourth.task.log).toContain('budget.near-limit');
      expect(fourth.task.log).toContain(
        'Request exceeds the limits of group:default/team-a: monthly budget: $0 used + $815.80 reserved + $407.90 requested > $1,000 limit',
      );
      expect((await api.usage()).budget.reserved).toBeCloseTo(
        2 * LARGE_MONTHLY,
        2,
      );
      expect(applies(standinCalls(flow.workDir))).toEqual([]);

      // Releasing one reservation makes room for another large request.
      expect((await api.decide(first.id, LEAD, 'reject')).status).toBe(200);
      expect((await api.usage()).budget.reserved).toBeCloseTo(LARGE_MONTHLY, 2);
      const again = await pending('big-three', large);
      expect((await api.usage()).budget.reserved).toBeCloseTo(
        2 * LARGE_MONTHLY,
        2,
      );

      for (const r of [second, again]) {
        expect((await api.cancel(r.id, DEV)).status).toBe(200);
      }
      expect((await api.usage()).budget.reserved).toBe(0);
    });
  });
});
