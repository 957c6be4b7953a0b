/*
 * Flow 5, continued: expiry releases reservations too. Undecided requests
 * expire after selfService.approvalTimeout; approved requests whose grant
 * lapses unredeemed (the launcher is off here) expire after grantTtl. The
 * sweep is the plugin's scheduled task, triggered by the test.
 */
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DEV,
  FlowClient,
  LEAD,
  sleep,
  waitFor,
} from './__testUtils__/client';

jest.setTimeout(120_000);

/** The plugin's scheduled expiry sweep (plugins/self-service-backend/src/service/sweeps.ts). */
const EXPIRY_SWEEP = 'self-service-expiry-sweep';
const APPROVAL_TIMEOUT_S = 5;
const GRANT_TTL_S = 2;

describe('flow: expiry releases reservations', () => {
  let flow: FlowBackend;
  let api: FlowClient;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: {
        approvalTimeout: { seconds: APPROVAL_TIMEOUT_S },
        grantTtl: { seconds: GRANT_TTL_S },
        launch: { enabled: false },
      },
    });
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });

  afterAll(async () => {
    await flow?.stop();
  });

  async function pending(name: string) {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name, environment: 'production' }),
    );
    expect((await api.waitForTask(taskId)).status).toBe('completed');
    const request = (await api.requestOfTask(taskId))!;
    expect(request.state).toBe('pending_approval');
    return request;
  }

  async function sweep() {
    await flow.scheduler.triggerTask(EXPIRY_SWEEP);
  }

  it('expires an undecided request after the approval timeout', async () => {
    const before = await api.usage();
    const request = await pending('orders-undecided');
    expect((await api.usage()).quota.reserved).toBe(before.quota.reserved + 1);

    // Before the deadline the sweep leaves it alone.
    await sweep();
    expect((await api.getRequest(request.id)).state).toBe('pending_approval');

    const wait = new Date(request.decisionDeadline!).getTime() - Date.now();
    expect(wait).toBeLessThanOrEqual(APPROVAL_TIMEOUT_S * 1000);
    await sleep(wait + 100);
    await sweep();
    const expired = await api.getRequest(request.id);
    expect(expired.state).toBe('expired');
    expect(expired.stateReason).toBe('nobody decided before the deadline');
    expect(await api.usage()).toEqual(before);

    const late = await api.decide(request.id, LEAD, 'approve');
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
    await waitFor('the expiry notification', async () =>
      (await api.notifications(DEV)).find(
        n =>
          n.payload.link?.endsWith(request.id) &&
          n.payload.title.endsWith('expired'),
      ),
    );
  });

  it('expires an approval whose grant lapsed before the apply phase ran', async () => {
    const before = await api.usage();
    const request = await pending('orders-lapsed');
    expect((await api.decide(request.id, LEAD, 'approve')).status).toBe(200);
    const approved = await api.decide(request.id, DBA_ALICE, 'approve');
    expect(approved.body.state).toBe('approved');
    // Approved but not applied still holds the reservation.
    expect((await api.usage()).budget.reserved).toBeCloseTo(
      before.budget.reserved + request.cost.monthlyTotal,
      2,
    );

    await sleep(GRANT_TTL_S * 1000 + 200);
    await sweep();
    const expired = await api.getRequest(request.id);
    expect(expired.state).toBe('expired');
    expect(expired.stateReason).toBe(
      'the approval grant expired before the apply phase ran',
    );
    expect(await api.usage()).toEqual(before);
  });
});
