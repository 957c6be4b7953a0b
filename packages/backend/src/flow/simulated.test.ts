/*
 * Without Terraform (issue #15): with `simulate: when-missing` and no
 * binary, the backend runs the recorded runner, replays the recording of
 * the template's local module, and says "simulated" on the plan, the
 * request and the catalog Resource; the flow itself (guardrails, request,
 * auto-approval, apply, resource) runs as it would for real.
 */
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DEV,
  FlowClient,
  waitFor,
} from './__testUtils__/client';

jest.setTimeout(120_000);

describe('flow: simulated when no Terraform is installed', () => {
  let flow: FlowBackend;
  let api: FlowClient;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: {
        terraform: {
          binary: 'no-terraform-installed-here',
          simulate: 'when-missing',
          target: 'local',
          // Let the runner pick the template's own recording.
          environment: { TF_STANDIN_SCENARIO: 'auto' },
        },
      },
    });
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });
  afterAll(() => flow?.stop());

  it('runs the flow on recordings and labels everything simulated', async () => {
    const taskId = await api.startTaskOk(DEV, databaseParameters({ name: 'sim-db' }));
    const task = await api.waitForTask(taskId);
    expect(task.status).toBe('completed');
    expect(task.log).toContain('SIMULATED');
    const created = (await api.requestOfTask(taskId))!;
    const request = await api.waitForState(created.id, ['succeeded']);
    expect(request.planSummary!.simulated).toBe(true);
    // The local module's recording, with this request's name.
    expect(request.planSummary!.resources.map(r => r.address)).toContain('terraform_data.database');
    expect(request.outputs).toMatchObject({
      endpoint: '/simulated/databases/dev/team-a/sim-db.sqlite',
    });

    const resources = await waitFor(
      'the Resource entity',
      async () => {
        const list = await api.catalogEntities('kind=resource');
        return list.length ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(resources[0].metadata.tags).toContain('simulated');
    expect(resources[0].metadata.description).toMatch(/^SIMULATED/);
  });

  it('replays an update, not a second creation, for a day-2 change of a simulated resource', async () => {
    const taskId = await api.startTaskOk(DEV, databaseParameters({ name: 'sim-change' }));
    await api.waitForTask(taskId);
    const live = await api.waitForState((await api.requestOfTask(taskId))!.id, ['succeeded']);
    const started = await api.call('POST', `/api/self-service/requests/${live.id}/changes`, {
      as: DEV,
      body: { parameters: { ...live.parameters, storage_gb: 80 } },
    });
    expect(started.status).toBe(202);
    const run = await api.waitForTask(started.body.taskId);
    expect(run.status).toBe('completed');
    const change = (await api.requestOfTask(started.body.taskId))!;
    expect(change.kind).toBe('change');
    expect(change.planSummary!.simulated).toBe(true);
    const database = change.planSummary!.resources.find(
      r => r.address === 'terraform_data.database',
    )!;
    expect(database.action).toBe('update');
    // The recording's before-value, this change's after-value.
    expect(database.changes).toContainEqual(
      expect.objectContaining({ path: 'input.storage_gb', before: 20, after: 80 }),
    );
    // Dev: applied at once, and the resource now has the new size.
    await api.waitForState(change.id, ['succeeded']);
    expect((await api.getRequest(live.id)).parameters.storage_gb).toBe(80);
  });
});
