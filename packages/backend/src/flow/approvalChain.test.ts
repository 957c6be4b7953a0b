/*
 * Flow 2: a production request stops before any side effect and waits for
 * two stages (the team lead, then a DBA); the requester and outsiders cannot
 * decide; the last approval launches the apply phase exactly once.
 */
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DBA_BOB,
  DEV,
  FlowClient,
  LEAD,
  OUTSIDER,
  waitFor,
} from './__testUtils__/client';
import { applies, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: production request through two approval stages', () => {
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

  /** Runs the first phase and returns the pending request. */
  async function submitProduction(name: string) {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name, environment: 'production', storage_gb: 50 }),
    );
    const task = await api.waitForTask(taskId);
    const request = await api.requestOfTask(taskId);
    return { taskId, task, request: request! };
  }

  it('waits for the lead and a DBA, refuses others, then applies once', async () => {
    const { taskId, task, request } = await submitProduction('orders-prod');

    // Pending approval is a successful end of the first run, not a failure.
    expect(task.status).toBe('completed');
    expect(task.log).toContain('waits for approval (team-lead, dba)');
    expect(request).toMatchObject({
      state: 'pending_approval',
      currentStage: 0,
    });
    expect(request.approvalPolicy.stages).toEqual([
      expect.objectContaining({
        name: 'team-lead',
        groups: ['group:default/team-a-leads'],
        quorum: 1,
      }),
      expect.objectContaining({
        name: 'dba',
        groups: ['group:default/dba'],
        quorum: 1,
      }),
    ]);
    expect(applies(standinCalls(flow.workDir, taskId))).toEqual([]);

    // The lead hears about it (group recipients resolved through the catalog).
    await waitFor('the lead to be notified', async () =>
      (await api.notifications(LEAD)).some(n =>
        n.payload.link?.endsWith(request.id),
      )
        ? true
        : undefined,
    );
    expect(
      (await api.notifications(DEV)).some(n =>
        n.payload.title.startsWith('Approval needed'),
      ),
    ).toBe(false);

    // Four eyes: not the requester, not an outsider, not the next stage yet.
    expect((await api.decide(request.id, DEV, 'approve')).status).toBe(403);
    expect((await api.decide(request.id, OUTSIDER, 'approve')).status).toBe(
      403,
    );
    expect((await api.decide(request.id, DBA_ALICE, 'approve')).status).toBe(
      403,
    );
    expect(await api.getRequest(request.id)).toMatchObject({
      state: 'pending_approval',
      currentStage: 0,
      decisions: [],
    });

    const inbox = await api.call('GET', '/api/self-service/inbox', {
      as: LEAD,
    });
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(
      request.id,
    );

    const stage1 = await api.decide(request.id, LEAD, 'approve', 'ok for prod');
    expect(stage1.status).toBe(200);
    expect(stage1.body).toMatchObject({
      state: 'pending_approval',
      currentStage: 1,
    });
    expect(await api.tasksNamed('orders-prod')).toHaveLength(1);
    await waitFor('a DBA to be notified', async () =>
      (await api.notifications(DBA_ALICE)).some(n =>
        n.payload.link?.endsWith(request.id),
      )
        ? true
        : undefined,
    );

    const stage2 = await api.decide(
      request.id,
      DBA_ALICE,
      'approve',
      'sized fine',
    );
    expect(stage2.status).toBe(200);
    expect(['applying', 'succeeded']).toContain(stage2.body.state);

    const done = await api.waitForState(request.id, ['succeeded', 'failed']);
    expect({ state: done.state, reason: done.stateReason }).toEqual({
      state: 'succeeded',
      reason: undefined,
    });
    expect(done.decisions.map(d => [d.approver, d.stage, d.decision])).toEqual([
      [LEAD, 0, 'approve'],
      [DBA_ALICE, 1, 'approve'],
    ]);

    // Exactly two runs of the template for this request: plan, then apply.
    const tasks = await api.tasksNamed('orders-prod');
    expect(tasks).toHaveLength(2);
    const launched = tasks.find(t => t.id !== taskId)!;
    expect(done.taskIds).toEqual([taskId, launched.id]);
    expect(launched.spec.parameters).toEqual(request.parameters);
    expect((await api.waitForTask(launched.id)).status).toBe('completed');
    const applied = applies(standinCalls(flow.workDir));
    expect(applied.map(c => c.taskId)).toEqual([launched.id]);
    // The apply phase used the first run's state key, so it is the same plan.
    expect(applied[0].tfvars.tags).toMatchObject({ 'request-key': taskId });

    // A late approval changes nothing.
    const late = await api.decide(request.id, DBA_BOB, 'approve');
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
    expect(await api.tasksNamed('orders-prod')).toHaveLength(2);

    // Notifications go out after the API has answered, so look until they are there.
    const wanted = [
      'Your request postgres-database · orders-prod (production) was approved',
      'Your request postgres-database · orders-prod (production) is provisioned',
    ];
    await waitFor('the approved and provisioned notifications', async () => {
      const titles = (await api.notifications(DEV)).map(n => n.payload.title);
      return wanted.every(t => titles.includes(t)) ? true : undefined;
    });
  });

  it('launches one apply when two DBAs approve the last stage at once', async () => {
    const { request } = await submitProduction('orders-race');
    expect((await api.decide(request.id, LEAD, 'approve')).status).toBe(200);

    const results = await Promise.all([
      api.decide(request.id, DBA_ALICE, 'approve'),
      api.decide(request.id, DBA_BOB, 'approve'),
    ]);
    const statuses = results.map(r => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);

    await api.waitForState(request.id, ['succeeded']);
    expect(await api.tasksNamed('orders-race')).toHaveLength(2);
    const raceTasks = (await api.tasksNamed('orders-race')).map(t => t.id);
    expect(
      applies(standinCalls(flow.workDir)).filter(c =>
        raceTasks.includes(c.taskId),
      ),
    ).toHaveLength(1);
  });
});
