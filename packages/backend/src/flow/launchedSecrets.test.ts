/*
 * Issue #13 item 4: a task that names a request in its secrets has its grant
 * checked by the backend before any Terraform command. A task started
 * straight through the scaffolder API with another request's id (and a
 * guessed token, or none, or a claim to tear it down) fails before `init`,
 * so Terraform never plans against that request's state with the
 * platform's credentials, and the other request is untouched.
 *
 * The backend runs with `selfService.launch.enabled: false`, so an approved
 * request keeps an unredeemed grant: the most attractive target there is.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { startFlowBackend, type FlowBackend } from './__testUtils__/harness';
import {
  databaseParameters,
  DBA_ALICE,
  DEV,
  FlowClient,
  LEAD,
} from './__testUtils__/client';
import { commands, standinCalls } from './__testUtils__/standin';

jest.setTimeout(180_000);

/** Every file under `dir` with its content and modification time. */
function snapshotDir(
  dir: string,
): Record<string, { content: string; mtimeMs: number }> {
  const files: Record<string, { content: string; mtimeMs: number }> = {};
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, {
    recursive: true,
    encoding: 'utf8',
  })) {
    const file = path.join(dir, entry);
    const stat = fs.statSync(file);
    if (stat.isFile()) {
      files[entry] = {
        content: fs.readFileSync(file, 'utf8'),
        mtimeMs: stat.mtimeMs,
      };
    }
  }
  return files;
}

/** Setup outside a test: fail loudly without `expect`. */
function must(condition: boolean, what: string) {
  if (!condition) throw new Error(`setup failed: ${what}`);
}

describe("flow: a task started with another request's secrets fails before init", () => {
  let flow: FlowBackend;
  let api: FlowClient;
  let stateDir: string;
  const live = databaseParameters({ name: 'orders-live' });
  const pending = databaseParameters({
    name: 'orders-approved',
    environment: 'production',
  });
  /** A succeeded request: its Terraform state exists. */
  let liveId: string;
  let liveTask: string;
  /** An approved request whose grant is unredeemed. */
  let approvedId: string;

  beforeAll(async () => {
    flow = await startFlowBackend({
      selfService: { launch: { enabled: false } },
    });
    api = new FlowClient(flow.baseUrl);
    stateDir = path.join(flow.dataDir, 'terraform-state');
    await api.waitForCatalog();

    // dev: auto-approved and applied in its own task.
    liveTask = await api.startTaskOk(DEV, live);
    must((await api.waitForTask(liveTask)).status === 'completed', 'live task');
    liveId = (await api.requestOfTask(liveTask))!.id;
    await api.waitForState(liveId, ['succeeded']);

    // production: approved by both stages; with the launcher off it waits.
    const pendingTask = await api.startTaskOk(DEV, pending);
    must(
      (await api.waitForTask(pendingTask)).status === 'completed',
      'pending task',
    );
    approvedId = (await api.requestOfTask(pendingTask))!.id;
    must(
      (await api.decide(approvedId, LEAD, 'approve')).status === 200,
      'lead',
    );
    must(
      (await api.decide(approvedId, DBA_ALICE, 'approve')).status === 200,
      'dba',
    );
    must((await api.getRequest(approvedId)).state === 'approved', 'approved');
  });

  afterAll(async () => {
    await flow?.stop();
  });

  const guess = () => randomBytes(32).toString('base64url');

  it.each([
    [
      'a guessed token',
      () => ({ selfServiceGrantToken: guess() }),
      'token: no grant of request',
    ],
    ['a short token', () => ({ selfServiceGrantToken: 'guess' }), 'token'],
    ['no token', () => ({}), 'carries no grant token'],
    [
      'a guessed token and the destroy operation',
      () => ({
        selfServiceGrantToken: guess(),
        selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
      }),
      'token: no grant of request',
    ],
  ])(
    "fails before init with the live request's id and %s, leaving its state untouched",
    async (_label, secrets, why) => {
      const stateBefore = snapshotDir(stateDir);
      expect(Object.keys(stateBefore).some(f => f.includes(liveTask))).toBe(
        true,
      );
      const eventsBefore = (await api.getRequest(liveId)).events.length;

      const taskId = await api.startTaskOk(DEV, live, {
        selfServiceRequestId: liveId,
        ...secrets(),
      });
      const task = await api.waitForTask(taskId);
      expect(task.status).toBe('failed');
      // The plan step stops (the request id is a secret, so the log masks it).
      expect(task.log).toMatch(
        /terraform:plan: the (apply|destroy) grant for request \*\*\* was refused, so no Terraform command was run/,
      );
      expect(task.log).toContain(why);
      // Terraform never ran in the task: no init, no plan.
      expect(commands(standinCalls(flow.workDir, taskId))).toEqual([]);
      // The other request's state and record are as they were.
      expect(snapshotDir(stateDir)).toEqual(stateBefore);
      const after = await api.getRequest(liveId);
      expect(after.state).toBe('succeeded');
      expect(after.events).toHaveLength(eventsBefore);
      expect(after.taskIds).toEqual([liveTask]);
      expect(await api.requestOfTask(taskId)).toBeUndefined();
    },
  );

  it('fails before init against an approved request whose grant is unredeemed', async () => {
    const stateBefore = snapshotDir(stateDir);
    const before = await api.getRequest(approvedId);
    const variants: Array<Record<string, string>> = [
      { selfServiceGrantToken: guess() },
      {
        selfServiceGrantToken: guess(),
        selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
      },
    ];
    for (const secrets of variants) {
      const taskId = await api.startTaskOk(DEV, pending, {
        selfServiceRequestId: approvedId,
        ...secrets,
      });
      const task = await api.waitForTask(taskId);
      expect(task.status).toBe('failed');
      expect(task.log).toContain(
        'was refused, so no Terraform command was run',
      );
      expect(commands(standinCalls(flow.workDir, taskId))).toEqual([]);
    }
    expect(snapshotDir(stateDir)).toEqual(stateBefore);
    const after = await api.getRequest(approvedId);
    expect(after.state).toBe('approved');
    expect(after.events).toEqual(before.events);
    expect(after.events.map(e => e.action)).not.toContain('grant-redeemed');
  });
});
