/*
 * Tear-down: a succeeded dev request is destroyed on request of its
 * requester. The backend moves it to destroying, mints a destroy grant and
 * launches the same template in destroy mode; terraform:destroy redeems the
 * grant and applies a -destroy plan; the team's live usage drops and the
 * Resource entity leaves the catalog.
 */
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DEV,
  FlowClient,
  OUTSIDER,
  waitFor,
} from './__testUtils__/client';
import { applies, commands, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: tear-down of a succeeded request', () => {
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

  /** The Resource entities of a request in the catalog. */
  const resourcesOf = async (requestId: string) =>
    (await api.catalogEntities('kind=resource')).filter(
      e => e.metadata.annotations?.['self-service.io/request-id'] === requestId,
    );

  it('destroys a succeeded request on request and releases its budget and quota', async () => {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name: 'orders-teardown' }),
    );
    expect((await api.waitForTask(taskId)).status).toBe('completed');
    const created = await api.requestOfTask(taskId);
    const request = await api.waitForState(created!.id, ['succeeded']);
    expect(request.canDestroy).toBe(true);
    expect((await api.usage()).quota.live).toBe(1);
    await waitFor(
      'the Resource entity',
      async () => ((await resourcesOf(request.id)).length ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Somebody outside the team may not.
    const outsider = await api.call(
      'POST',
      `/api/self-service/requests/${request.id}/destroy`,
      { as: OUTSIDER, body: {} },
    );
    expect(outsider.status).toBe(403);

    const started = await api.call(
      'POST',
      `/api/self-service/requests/${request.id}/destroy`,
      { as: DEV, body: { reason: 'the project ended' } },
    );
    expect(started.status).toBe(200);
    expect(['destroying', 'destroyed']).toContain(started.body.state);
    const destroyTaskId: string = started.body.taskIds.at(-1);
    expect(destroyTaskId).not.toBe(taskId);

    // Only one tear-down.
    const again = await api.call(
      'POST',
      `/api/self-service/requests/${request.id}/destroy`,
      { as: DEV, body: {} },
    );
    expect(again.status).toBe(409);

    const task = await api.waitForTask(destroyTaskId);
    expect({ status: task.status, log: task.log }).toMatchObject({
      status: 'completed',
    });
    // The operation secret masks nothing real: the log still says what ran
    // (the request id, also a task secret, is masked).
    const log = JSON.stringify(task.log);
    expect(log).toContain('Beginning step Terraform destroy');
    expect(log).toContain('Tearing down request');
    expect(log).not.toMatch(/Terraform \*\*\*|\*\*\* complete/);
    // The stand-in turned the create plan around: what was created goes.
    expect(log).toContain('aws_db_instance.this: Plan to delete');
    expect(log).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(log).not.toContain('Creating...');
    const done = await api.waitForState(request.id, ['destroyed', 'failed']);
    expect({ state: done.state, reason: done.stateReason }).toMatchObject({
      state: 'destroyed',
    });
    expect(done.taskIds).toEqual([taskId, destroyTaskId]);
    expect(done.events.map(e => e.toState)).toEqual([
      'submitted',
      'approved',
      'applying',
      'succeeded',
      'destroying',
      'destroying',
      'destroying',
      'destroyed',
    ]);
    expect(
      done.events.find(e => e.action === 'destroy-requested'),
    ).toMatchObject({
      actor: DEV,
      reason: 'the project ended',
    });

    // The launched task planned with -destroy and applied that plan; it
    // never ran the apply step.
    const calls = standinCalls(flow.workDir, destroyTaskId);
    expect(
      calls.some(c => c.argv[0] === 'plan' && c.argv.includes('-destroy')),
    ).toBe(true);
    const applied = applies(calls);
    expect(applied).toHaveLength(1);
    expect(applied[0].argv.at(-1)).toBe('self-service-destroy.tfplan');
    expect(commands(calls)).not.toContain('output');

    // Nothing is live any more.
    const usage = await api.usage();
    expect(usage.budget.live).toBe(0);
    expect(usage.quota.live).toBe(0);
    expect(usage.budget.reserved).toBe(0);

    // The Resource entity leaves the catalog.
    await waitFor(
      'the Resource entity to disappear',
      async () =>
        (await resourcesOf(request.id)).length === 0 ? true : undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });
});
