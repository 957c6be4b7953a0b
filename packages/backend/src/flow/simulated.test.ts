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
});
