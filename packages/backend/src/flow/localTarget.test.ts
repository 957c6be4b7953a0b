/*
 * The `local` target with the real Terraform CLI (issue #15): the example
 * PostgreSQL template's module-local/ provisions a SQLite file with
 * Terraform's built-in terraform_data, no registry and no cloud. A dev
 * request is auto-approved, applied, shown with its outputs, and torn down;
 * a production request waits for the lead and the DBA first.
 *
 * Runs when `terraform` (or `tofu`) is on PATH; otherwise it says it was
 * skipped, like the runner's real-binary test.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  realTerraformBinary,
  startFlowBackend,
  type FlowBackend,
} from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DEV,
  FlowClient,
  LEAD,
} from './__testUtils__/client';

jest.setTimeout(240_000);

const binary = realTerraformBinary('localTarget.test');
const describeReal = binary ? describe : describe.skip;

describeReal(`flow: the local target with the real ${binary} CLI`, () => {
  let flow: FlowBackend;
  let api: FlowClient;
  let localRoot: string;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: {
        terraform: {
          binary: binary!,
          target: 'local',
          timeout: { minutes: 3 },
        },
      },
    });
    localRoot = path.join(flow.dataDir, 'local-target');
    // The runner passes TF_* variables of the backend's environment on.
    process.env.TF_VAR_local_root = localRoot;
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });

  afterAll(async () => {
    delete process.env.TF_VAR_local_root;
    await flow?.stop();
  });

  const databaseFile = (environment: string, name: string) =>
    path.join(localRoot, 'databases', environment, 'team-a', `${name}.sqlite`);

  it('applies an auto-approved dev request for real, then tears it down', async () => {
    const taskId = await api.startTaskOk(DEV, databaseParameters({ name: 'local-dev-db' }));
    const task = await api.waitForTask(taskId, { timeoutMs: 180_000 });
    expect({ status: task.status, log: task.log }).toMatchObject({ status: 'completed' });
    const created = (await api.requestOfTask(taskId))!;
    const request = await api.waitForState(created.id, ['succeeded'], 120_000);
    expect(request.planSummary!.resources.map(r => r.address)).toEqual(
      expect.arrayContaining(['terraform_data.database']),
    );
    const file = databaseFile('dev', 'local-dev-db');
    expect(request.outputs).toMatchObject({ endpoint: file, target: 'local' });
    expect(fs.existsSync(file)).toBe(true);
    // What it really costs: terraform_data is free. (Approvals are still
    // judged by the higher of that and the price book's estimate.)
    expect(request.cost).toMatchObject({ monthlyTotal: 0, unpriced: [] });

    const started = await api.call('POST', `/api/self-service/requests/${request.id}/destroy`, {
      as: DEV,
    });
    expect(started.status).toBe(200);
    await api.waitForState(request.id, ['destroyed'], 180_000);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('applies a production request only after the lead and the DBA approve', async () => {
    const values = databaseParameters({ name: 'local-prod-db', environment: 'production' });
    const taskId = await api.startTaskOk(DEV, values);
    await api.waitForTask(taskId, { timeoutMs: 180_000 });
    const pending = (await api.requestOfTask(taskId))!;
    expect(pending.state).toBe('pending_approval');
    expect(fs.existsSync(databaseFile('production', 'local-prod-db'))).toBe(false);

    expect((await api.decide(pending.id, LEAD, 'approve')).status).toBe(200);
    expect((await api.decide(pending.id, DBA_ALICE, 'approve')).status).toBe(200);
    const done = await api.waitForState(pending.id, ['succeeded', 'failed'], 180_000);
    expect({ state: done.state, reason: done.stateReason }).toMatchObject({ state: 'succeeded' });
    expect(fs.existsSync(databaseFile('production', 'local-prod-db'))).toBe(true);
  });
});
