/*
 * Flow 3 (security invariant 1): starting the template straight through the
 * scaffolder API creates a request, never a resource, even when the caller
 * names an approved request whose grant is still unredeemed.
 *
 * The backend runs with `selfService.launch.enabled: false`, so an approved
 * request keeps an unredeemed grant and stays `approved`: the most
 * attractive target there is.
 */
import { randomBytes } from 'node:crypto';
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DEV,
  FlowClient,
  LEAD,
} from './__testUtils__/client';
import { applies, standinCalls } from './__testUtils__/standin';

jest.setTimeout(120_000);

describe('flow: starting the template directly never applies', () => {
  let flow: FlowBackend;
  let api: FlowClient;
  const production = databaseParameters({
    name: 'orders-target',
    environment: 'production',
  });
  let target: string;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: { launch: { enabled: false } },
    });
    api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
  });

  afterAll(async () => {
    await flow?.stop();
  });

  /** The approved request is untouched: still approved, its grant unused. */
  async function expectTargetUntouched() {
    const request = await api.getRequest(target);
    expect(request.state).toBe('approved');
    expect(request.taskIds).toHaveLength(1);
    expect(request.events.map(e => e.action)).not.toContain('redeemed');
    expect(applies(standinCalls(flow.workDir))).toEqual([]);
  }

  it('records a pending request and applies nothing', async () => {
    const taskId = await api.startTaskOk(DEV, production);
    const task = await api.waitForTask(taskId);
    expect(task.status).toBe('completed');
    const request = (await api.requestOfTask(taskId))!;
    expect(request.state).toBe('pending_approval');
    expect(applies(standinCalls(flow.workDir))).toEqual([]);

    // Approve it; with the launcher off the grant stays unredeemed.
    expect((await api.decide(request.id, LEAD, 'approve')).status).toBe(200);
    const approved = await api.decide(request.id, DBA_ALICE, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    target = request.id;
    await expectTargetUntouched();
  });

  it.each([
    ['a short guess', 'guess', 'token: Too small'],
    [
      'a well-formed guess',
      randomBytes(32).toString('base64url'),
      'token: no grant of request',
    ],
  ])(
    'refuses a run that names the approved request with %s as grant token',
    async (_what, token, why) => {
      const taskId = await api.startTaskOk(DEV, production, {
        selfServiceRequestId: target,
        selfServiceGrantToken: token,
      });
      const task = await api.waitForTask(taskId);
      expect(task.status).toBe('failed');
      expect(task.log).toContain(
        'was refused, so no Terraform command was run',
      );
      expect(task.log).toContain(why);
      // The backend refused the grant before Terraform ran at all (#13),
      // and the run recorded no request of its own.
      expect(standinCalls(flow.workDir, taskId)).toEqual([]);
      expect(await api.requestOfTask(taskId)).toBeUndefined();
      await expectTargetUntouched();
    },
  );

  it('refuses a run that names the approved request without a token', async () => {
    const taskId = await api.startTaskOk(DEV, production, {
      selfServiceRequestId: target,
    });
    const task = await api.waitForTask(taskId);
    expect(task.status).toBe('failed');
    expect(task.log).toContain('carries no grant token');
    await expectTargetUntouched();
  });

  it('cannot fail the approved request by drifting its plan on purpose', async () => {
    // Different parameters, meant to drift the re-plan so that the action
    // reports the request failed. The grant check stops the run before it
    // plans; the backend would refuse the report in any case, since this
    // task does not belong to the request.
    const taskId = await api.startTaskOk(
      DEV,
      { ...production, storage_gb: 400 },
      { selfServiceRequestId: target, selfServiceGrantToken: 'guess' },
    );
    const task = await api.waitForTask(taskId);
    expect(task.status).toBe('failed');
    expect(task.log).toContain('was refused, so no Terraform command was run');
    expect(standinCalls(flow.workDir, taskId)).toEqual([]);
    await expectTargetUntouched();
  });

  it('refuses an auto-approvable dev run that borrows the approved request', async () => {
    const taskId = await api.startTaskOk(
      DEV,
      databaseParameters({ name: 'orders-target', environment: 'dev' }),
      { selfServiceRequestId: target, selfServiceGrantToken: 'guess' },
    );
    const task = await api.waitForTask(taskId);
    expect(task.status).toBe('failed');
    expect(applies(standinCalls(flow.workDir, taskId))).toEqual([]);
    await expectTargetUntouched();
  });

  it('treats grant-looking values as ordinary parameters of a new request', async () => {
    const res = await api.startTask(DEV, {
      ...production,
      selfServiceRequestId: target,
      selfServiceGrantToken: 'guess',
      requestId: target,
      grantToken: 'guess',
    });
    // The template's parameter schema allows other properties, so the
    // scaffolder accepts the run; the values only change the parameters.
    expect(res.status).toBe(201);
    const task = await api.waitForTask(res.body.id);
    expect(task.status).toBe('completed');
    const request = (await api.requestOfTask(res.body.id))!;
    expect(request.id).not.toBe(target);
    expect(request.state).toBe('pending_approval');
    expect(request.parameters).toMatchObject({ requestId: target });
    expect(applies(standinCalls(flow.workDir))).toEqual([]);
    await expectTargetUntouched();
  });
});
