/*
 * Flow 1: a dev request under budget is approved automatically and applied
 * in the same scaffolder task; the requester is told and the resource shows
 * up in the catalog, owned by the team.
 */
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DEV,
  FlowClient,
  TEAM,
  waitFor,
} from './__testUtils__/client';
import { applies, commands, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: auto-approved dev request', () => {
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

  it('plans, records, auto-approves, applies and registers the resource', async () => {
    const before = await api.usage();
    const values = databaseParameters({ name: 'orders-dev' });

    const taskId = await api.startTaskOk(DEV, values);
    const task = await api.waitForTask(taskId);
    expect({ status: task.status, log: task.log }).toMatchObject({
      status: 'completed',
    });

    // One task did everything: plan, then apply of exactly that saved plan
    // file, which the grant is bound to (its digest), so not read back.
    const calls = standinCalls(flow.workDir, taskId);
    expect(commands(calls)).toEqual([
      'init',
      'plan',
      'show',
      'apply',
      'output',
    ]);
    expect(task.log).toContain('Applying the plan file this task saved');
    expect(applies(calls)[0].argv.at(-1)).toBe('self-service.tfplan');
    expect(applies(calls)[0].tfvars).toMatchObject({
      name: 'orders-dev',
      storage_gb: 20,
      environment: 'dev',
    });

    const created = await api.requestOfTask(taskId);
    expect(created).toBeDefined();
    // The finished run says it applied (not "applying it now"), and links
    // the request page by its path, so the app opens it in place.
    const completion = task.events.find(e => e.type === 'completion');
    expect((completion?.body as any)?.output).toMatchObject({
      links: [
        { title: 'Request', url: `/self-service/requests/${created!.id}` },
      ],
      text: [
        {
          title: 'Status',
          content: 'Applied: the resource is ready; the request page lists it.',
        },
      ],
    });
    const request = await api.waitForState(created!.id, ['succeeded']);
    expect(request).toMatchObject({
      requester: DEV,
      team: TEAM,
      environment: 'dev',
      templateRef: 'template:default/postgres-database',
      state: 'succeeded',
      taskIds: [taskId],
    });
    expect(request.events.map(e => e.toState)).toEqual([
      'submitted',
      'approved',
      'applying',
      'succeeded',
    ]);
    // Sensitive outputs never reach the request.
    expect(request.outputs).toMatchObject({
      endpoint: 'orders-db.c1x2y3z4.us-east-1.rds.amazonaws.com:5432',
    });
    expect(JSON.stringify(request)).not.toContain('Pw-Known-Only-In-State');

    // The live spend moved by the request's cost; nothing stays reserved.
    const after = await api.usage();
    expect(after.budget.live).toBeCloseTo(
      before.budget.live + request.cost.monthlyTotal,
      2,
    );
    expect(after.budget.reserved).toBe(before.budget.reserved);
    expect(after.quota.live).toBe(before.quota.live + 1);

    // The requester was told through the notifications backend.
    const notes = await waitFor('the provisioned notification', async () => {
      const list = await api.notifications(DEV);
      return list.some(n => n.payload.title.includes('is provisioned'))
        ? list
        : undefined;
    });
    expect(
      notes.find(n => n.payload.title.includes('is provisioned'))!.payload.link,
    ).toBe(`/self-service/requests/${request.id}`);

    // The catalog module registers a Resource owned by the team.
    const resources = await waitFor(
      'the Resource entity',
      async () => {
        const list = await api.catalogEntities('kind=resource');
        const mine = list.filter(
          e =>
            e.metadata.annotations?.['self-service.io/request-id'] ===
            request.id,
        );
        return mine.length ? mine : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(resources).toHaveLength(1);
    expect(resources[0].spec.owner).toBe(TEAM);
    expect(resources[0].relations).toEqual(
      expect.arrayContaining([{ type: 'ownedBy', targetRef: TEAM }]),
    );
  });
});
