/*
 * Day-2 changes (issue #16, item 6) with the real Terraform CLI on the
 * `local` target: a live production database gets more storage through a
 * change request. The backend starts the template's run as the person
 * asking, the run plans an update against the resource's existing state,
 * the change waits for the lead and the DBA like any production request,
 * and once applied the resource (its request, catalog entity and the
 * team's usage) is the changed one. A change whose state drifted between
 * approval and apply is refused as a provisioning request would be.
 *
 * Runs when `terraform` (or `tofu`) is on PATH; otherwise says it was skipped.
 */
import { spawnSync } from 'node:child_process';
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
  OUTSIDER,
  waitFor,
} from './__testUtils__/client';

jest.setTimeout(300_000);

const binary = realTerraformBinary('dayTwo.test');
const describeReal = binary ? describe : describe.skip;

describeReal(`flow: day-2 changes with the real ${binary} CLI`, () => {
  let flow: FlowBackend;
  let api: FlowClient;
  let localRoot: string;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: {
        terraform: { binary: binary!, target: 'local', timeout: { minutes: 3 } },
      },
    });
    localRoot = path.join(flow.dataDir, 'local-target');
    process.env.TF_VAR_local_root = localRoot;
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });

  afterAll(async () => {
    delete process.env.TF_VAR_local_root;
    await flow?.stop();
  });

  const settingsFile = (name: string) =>
    path.join(localRoot, 'databases', 'production', 'team-a', `${name}.sqlite.settings.json`);

  /** A production database, approved by the lead and the DBA and applied. */
  async function liveProductionDatabase(name: string) {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name, environment: 'production', storage_gb: 20 }),
    );
    await api.waitForTask(taskId, { timeoutMs: 180_000 });
    const pending = (await api.requestOfTask(taskId))!;
    expect((await api.decide(pending.id, LEAD, 'approve')).status).toBe(200);
    expect((await api.decide(pending.id, DBA_ALICE, 'approve')).status).toBe(200);
    const live = await api.waitForState(pending.id, ['succeeded', 'failed'], 180_000);
    expect({ state: live.state, reason: live.stateReason }).toMatchObject({ state: 'succeeded' });
    return live;
  }

  /** Starts a change as DEV and returns the change request its run recorded. */
  async function startChange(targetId: string, parameters: Record<string, unknown>) {
    const started = await api.call('POST', `/api/self-service/requests/${targetId}/changes`, {
      as: DEV,
      body: { parameters },
    });
    expect({ status: started.status, body: started.body }).toMatchObject({ status: 202 });
    const { taskId, taskPath } = started.body;
    expect(taskPath).toBe(`/create/tasks/${taskId}`);
    const task = await api.waitForTask(taskId, { timeoutMs: 180_000 });
    expect({ status: task.status, log: task.log }).toMatchObject({ status: 'completed' });
    // The run is the person's own: the scaffolder shows it as theirs.
    expect(task.spec.user?.ref ?? task.createdBy).toBe(DEV);
    const change = (await api.requestOfTask(taskId))!;
    expect(change).toMatchObject({ kind: 'change', targetRequestId: targetId, requester: DEV });
    return { change, task };
  }

  it('plans an update against the live resource, waits for approval and moves the usage to the new cost', async () => {
    const live = await liveProductionDatabase('day2-orders');
    const before = await api.usage();
    const oldCost = live.cost.monthlyTotal;

    // Somebody outside the team cannot start a change; a change cannot move teams.
    const outsider = await api.call('POST', `/api/self-service/requests/${live.id}/changes`, {
      as: OUTSIDER,
      body: { parameters: { ...live.parameters, storage_gb: 80 } },
    });
    expect(outsider.status).toBe(403);
    const moved = await api.call('POST', `/api/self-service/requests/${live.id}/changes`, {
      as: DEV,
      body: { parameters: { ...live.parameters, team: 'group:default/team-b' } },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toContain('parameters.team');

    // Values the template's form would refuse are refused before anything runs.
    const invalid = await api.call('POST', `/api/self-service/requests/${live.id}/changes`, {
      as: DEV,
      body: { parameters: { ...live.parameters, storage_gb: 100000 } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('storage_gb');
    expect((await api.getRequest(live.id)).events.map(e => e.action)).not.toContain(
      'change-launched',
    );

    const { change } = await startChange(live.id, { ...live.parameters, storage_gb: 80 });
    // Production: the lead and the DBA decide the change too.
    expect(change.state).toBe('pending_approval');
    expect(change.approvalPolicy.stages.map(s => s.name)).toEqual(
      expect.arrayContaining(['team-lead']),
    );
    // An update plan against the existing state: nothing is created anew.
    const database = change.planSummary!.resources.find(
      r => r.address === 'terraform_data.database',
    )!;
    expect(database.action).toBe('update');
    // The recorded cost is what the plan costs (terraform_data is free here;
    // the router tests move priced plans): the change says what it had before.
    expect(change.previousMonthlyCost).toBeCloseTo(oldCost, 2);
    // It reserves the difference, not a second database.
    const during = await api.usage();
    expect(during.quota.reserved).toBe(before.quota.reserved);
    expect(during.budget.reserved).toBeCloseTo(
      before.budget.reserved + change.cost.monthlyTotal - oldCost,
      2,
    );
    // One change at a time, and no tear-down while it is open.
    const second = await api.call('POST', `/api/self-service/requests/${live.id}/changes`, {
      as: DEV,
      body: { parameters: { ...live.parameters, storage_gb: 90 } },
    });
    expect(second.status).toBe(409);
    const destroy = await api.call('POST', `/api/self-service/requests/${live.id}/destroy`, {
      as: DEV,
    });
    expect(destroy.status).toBe(409);

    // The requester cannot approve their own change.
    expect((await api.decide(change.id, DEV, 'approve')).status).toBe(403);
    for (const approver of [LEAD, DBA_ALICE]) {
      const detail = await api.getRequest(change.id);
      if (detail.state !== 'pending_approval') break;
      expect((await api.decide(change.id, approver, 'approve')).status).toBe(200);
    }
    const applied = await api.waitForState(change.id, ['succeeded', 'failed'], 180_000);
    expect({ state: applied.state, reason: applied.stateReason }).toMatchObject({
      state: 'succeeded',
    });

    // The resource is now the changed one, with one live database counted.
    const target = await api.getRequest(live.id);
    expect(target.state).toBe('succeeded');
    expect(target.parameters.storage_gb).toBe(80);
    expect(target.cost.monthlyTotal).toBeCloseTo(change.cost.monthlyTotal, 2);
    expect(target.events.map(e => e.action)).toEqual(
      expect.arrayContaining(['change-launched', 'change-requested', 'changed']),
    );
    expect(target.followUps?.[0]).toMatchObject({ id: change.id, kind: 'change', state: 'succeeded' });
    const after = await api.usage();
    expect(after.quota.live).toBe(before.quota.live);
    expect(after.budget.reserved).toBeCloseTo(before.budget.reserved, 2);
    expect(after.budget.live).toBeCloseTo(
      before.budget.live - oldCost + change.cost.monthlyTotal,
      2,
    );
    // Terraform really updated it: the settings file says 80 GB.
    expect(JSON.parse(fs.readFileSync(settingsFile('day2-orders'), 'utf8'))).toMatchObject({
      storage_gb: 80,
    });
    // The catalog's Resource is still one entity, for the same request.
    const resources = await waitFor('the catalog Resource', async () => {
      const found = await api.catalogEntities('kind=resource');
      const mine = found.filter(
        e => e.metadata.annotations?.['self-service.io/request-id'] === live.id,
      );
      return mine.length ? mine : undefined;
    });
    expect(resources).toHaveLength(1);
    expect(
      (await api.catalogEntities('kind=resource')).some(
        e => e.metadata.annotations?.['self-service.io/request-id'] === change.id,
      ),
    ).toBe(false);

  });

  it('refuses an approved change whose state drifted before the apply', async () => {
    const live = await liveProductionDatabase('day2-drift');
    const { change } = await startChange(live.id, { ...live.parameters, storage_gb: 60 });
    expect(change.state).toBe('pending_approval');
    expect((await api.decide(change.id, LEAD, 'approve')).status).toBe(200);

    // The resource's state changes under the approved plan (as if somebody
    // resized it by hand): the plan at apply time must now also size it back,
    // which nobody approved. (A drift of only the values being changed would
    // leave the change set, which the plan hash covers, as approved.)
    const stateFile = await waitFor('the state file', async () => {
      const dir = path.join(flow.dataDir, 'terraform-state');
      const found = spawnSync('find', [dir, '-name', 'terraform.tfstate'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(f => f && fs.readFileSync(f, 'utf8').includes('day2-drift'));
      return found[0];
    });
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    for (const resource of state.resources) {
      for (const instance of resource.instances) {
        const input = instance.attributes?.input?.value;
        if (input?.instance_size !== undefined) input.instance_size = 'large';
        const output = instance.attributes?.output?.value;
        if (output?.instance_size !== undefined) output.instance_size = 'large';
      }
    }
    state.serial += 1;
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));

    for (const approver of [DBA_ALICE]) {
      const detail = await api.getRequest(change.id);
      if (detail.state !== 'pending_approval') break;
      expect((await api.decide(change.id, approver, 'approve')).status).toBe(200);
    }
    const failed = await api.waitForState(change.id, ['failed', 'succeeded'], 180_000);
    expect(failed.state).toBe('failed');
    expect(failed.stateReason).toContain('plan drifted');
    // The resource keeps what it had, and the change's reservation is gone.
    const target = await api.getRequest(live.id);
    expect(target.parameters.storage_gb).toBe(20);
    expect(target.cost.monthlyTotal).toBeCloseTo(live.cost.monthlyTotal, 2);
  });
});
