import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { SELF_SERVICE_RESOURCES_TOPIC } from '@internal/plugin-self-service-common';
import {
  ALICE,
  DAY,
  HOUR,
  TEAM,
  limits,
  requestBody,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';
import { RequestNotifier } from './notifier';
import { syncInFlightRequests } from './statusSync';
import {
  readStaleAfterMs,
  ScaffolderTaskStatusSource,
  type ScaffolderTaskStatus,
  type TaskSnapshot,
  type TerraformRunInfo,
} from './taskStatus';

jest.setTimeout(60_000);

const now = new Date('2026-03-01T00:00:00.000Z');

describe('syncInFlightRequests', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'settles applying requests from their task status, %p',
    async databaseId => {
      const { store } = await createTestStore(databases, databaseId);
      const applying = async (redeem: boolean) => {
        const body = requestBody({ approvalPolicy: { stages: [] } });
        const { request, grant } = await store.createRequest({
          body,
          requester: ALICE,
          limits: limits(),
          now,
          decisionTimeoutMs: 7 * DAY,
          grantTtlMs: HOUR,
        });
        if (redeem) {
          await store.redeemGrant(
            {
              requestId: request.id,
              templateRef: body.templateRef,
              parametersHash: body.parametersHash,
              planHash: body.planHash!,
              taskId: body.taskId,
              token: grant!.token,
            },
            { actor: 'plugin:scaffolder', now },
          );
        } else {
          await store.recordLaunch({
            id: request.id,
            taskId: `${body.taskId}-launched`,
            actor: 'x',
            now,
          });
        }
        return request.id;
      };
      const done = await applying(true);
      const crashed = await applying(true);
      const running = await applying(true);
      const neverRedeemed = await applying(false);
      const statuses: Record<string, ScaffolderTaskStatus> = {};
      const events = mockServices.events.mock();
      const taskOf = async (id: string) =>
        (await store.getRequest(id))!.taskIds.at(-1)!;
      statuses[await taskOf(done)] = 'completed';
      statuses[await taskOf(crashed)] = 'failed';
      statuses[await taskOf(running)] = 'processing';
      statuses[await taskOf(neverRedeemed)] = 'completed';

      const notifier = new RequestNotifier({
        events,
        logger: mockServices.logger.mock(),
      });
      const settled = await syncInFlightRequests({
        store,
        tasks: {
          getTask: async taskId =>
            statuses[taskId] && { status: statuses[taskId] },
        },
        notifier,
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      expect(settled).toBe(3);
      await notifier.settled();
      // Only the one that went live is a resource the catalog must hear of.
      expect(events.publish.mock.calls).toEqual([
        [
          {
            topic: SELF_SERVICE_RESOURCES_TOPIC,
            eventPayload: { requestId: done, state: 'succeeded' },
          },
        ],
      ]);
      expect((await store.getRequest(done))!.state).toBe('succeeded');
      expect(await store.getRequest(crashed)).toMatchObject({
        state: 'failed',
        stateReason: expect.stringContaining('failed'),
      });
      expect((await store.getRequest(running))!.state).toBe('applying');
      expect((await store.getRequest(neverRedeemed))!.stateReason).toContain(
        'without redeeming its grant',
      );
      expect(await store.getUsage(TEAM)).toEqual({
        liveCount: 1,
        liveMonthly: 100,
        reservedCount: 1,
        reservedMonthly: 100,
      });
    },
  );
});

describe('syncInFlightRequests, tear-downs', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'settles destroying requests: destroyed when the task redeemed and completed, else back to succeeded, %p',
    async databaseId => {
      const { store } = await createTestStore(databases, databaseId);
      const live = async (name: string) => {
        const body = requestBody({
          approvalPolicy: { stages: [] },
          parameters: { name },
        });
        const { request } = await store.createRequest({
          body,
          requester: ALICE,
          limits: limits(),
          now,
          decisionTimeoutMs: 7 * DAY,
          grantTtlMs: HOUR,
        });
        await store.transition({
          id: request.id,
          from: 'approved',
          to: 'applying',
          actor: 'x',
          action: 'x',
          now,
        });
        await store.transition({
          id: request.id,
          from: 'applying',
          to: 'succeeded',
          actor: 'x',
          action: 'x',
          now,
        });
        const { grant } = await store.startDestroy({
          id: request.id,
          actor: ALICE,
          now,
          grantTtlMs: HOUR,
        });
        return { id: request.id, body, token: grant.token };
      };
      const launch = (id: string) =>
        store.recordDestroyLaunch({
          id,
          taskId: `destroy-${id}`,
          actor: 'x',
          now,
        });

      const finished = await live('a');
      await launch(finished.id);
      await store.redeemGrant(
        {
          requestId: finished.id,
          templateRef: finished.body.templateRef,
          parametersHash: finished.body.parametersHash,
          planHash: finished.body.planHash!,
          taskId: `destroy-${finished.id}`,
          token: finished.token,
          purpose: 'destroy',
        },
        { actor: 'plugin:scaffolder', now },
      );
      const crashed = await live('b');
      await launch(crashed.id);
      const notLaunchedYet = await live('c');

      const statuses: Record<string, ScaffolderTaskStatus> = {
        [`destroy-${finished.id}`]: 'completed',
        [`destroy-${crashed.id}`]: 'failed',
      };
      const getTask = jest.fn(async (taskId: string) =>
        statuses[taskId] ? { status: statuses[taskId] } : undefined,
      );
      const settled = await syncInFlightRequests({
        store,
        tasks: { getTask },
        notifier: new RequestNotifier({ logger: mockServices.logger.mock() }),
        logger: mockServices.logger.mock(),
        now: () => now,
      });

      expect(settled).toBe(2);
      // The not yet launched one has no destroy task to ask about; its apply
      // task (completed long ago) must not be mistaken for one.
      expect(getTask.mock.calls.map(([t]) => t).sort()).toEqual(
        [`destroy-${crashed.id}`, `destroy-${finished.id}`].sort(),
      );
      expect((await store.getRequest(finished.id))!.state).toBe('destroyed');
      expect(await store.getRequest(crashed.id)).toMatchObject({
        state: 'succeeded',
        stateReason: expect.stringContaining('tear-down did not finish'),
      });
      expect((await store.getRequest(notLaunchedYet.id))!.state).toBe(
        'destroying',
      );
      // The crashed one still exists and still counts; so does the one in flight.
      expect(await store.getUsage(TEAM)).toMatchObject({
        liveCount: 2,
        liveMonthly: 200,
      });
      // And it can be torn down again, with a fresh grant.
      const retry = await store.startDestroy({
        id: crashed.id,
        actor: ALICE,
        now,
        grantTtlMs: HOUR,
      });
      expect(retry.request.state).toBe('destroying');
    },
  );
});

describe('syncInFlightRequests, runs nobody runs any more', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'fails an apply whose task stalled (its backend died), with the interrupted command and its state lock, and releases the reservation; leaves one whose command still runs here, %p',
    async databaseId => {
      const { store } = await createTestStore(databases, databaseId);
      const applying = async (name: string) => {
        const body = requestBody({
          approvalPolicy: { stages: [] },
          parameters: { name },
        });
        const { request, grant } = await store.createRequest({
          body,
          requester: ALICE,
          limits: limits(),
          now,
          decisionTimeoutMs: 7 * DAY,
          grantTtlMs: HOUR,
        });
        await store.redeemGrant(
          {
            requestId: request.id,
            templateRef: body.templateRef,
            parametersHash: body.parametersHash,
            planHash: body.planHash!,
            taskId: body.taskId,
            token: grant!.token,
          },
          { actor: 'plugin:scaffolder', now },
        );
        return { id: request.id, taskId: body.taskId };
      };
      const killed = await applying('a');
      const stillHere = await applying('b');
      const beating = await applying('c');
      expect(await store.getUsage(TEAM)).toMatchObject({
        reservedCount: 3,
        reservedMonthly: 300,
      });
      const lastHeartbeatAt = '2026-02-28T23:58:00.000Z';
      const snapshots: Record<string, TaskSnapshot> = {
        [killed.taskId]: {
          status: 'processing',
          lastHeartbeatAt,
          stalled: true,
        },
        [stillHere.taskId]: {
          status: 'processing',
          lastHeartbeatAt,
          stalled: true,
        },
        [beating.taskId]: { status: 'processing', stalled: false },
      };
      const runs: Record<string, TerraformRunInfo> = {
        [killed.taskId]: {
          running: false,
          report:
            'terraform apply (pid 42) was interrupted; Terraform state lock left behind: /state/.terraform.tfstate.lock.info (ID abc)',
        },
        [stillHere.taskId]: { running: true },
      };
      const logger = mockServices.logger.mock();
      const settled = await syncInFlightRequests({
        store,
        tasks: {
          getTask: async taskId => snapshots[taskId],
          describeRun: async taskId => runs[taskId],
        },
        notifier: new RequestNotifier({ logger }),
        logger,
        now: () => now,
      });

      expect(settled).toBe(1);
      expect(await store.getRequest(killed.id)).toMatchObject({
        state: 'failed',
        stateReason: `apply task ${killed.taskId} stopped running: no heartbeat from a scaffolder worker since ${lastHeartbeatAt} (the backend running it stopped); terraform apply (pid 42) was interrupted; Terraform state lock left behind: /state/.terraform.tfstate.lock.info (ID abc)`,
      });
      expect((await store.getRequest(stillHere.id))!.state).toBe('applying');
      expect((await store.getRequest(beating.id))!.state).toBe('applying');
      expect(await store.getUsage(TEAM)).toMatchObject({
        liveCount: 0,
        reservedCount: 2,
        reservedMonthly: 200,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('still runs in this backend; leaving it'),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'returns a tear-down whose task stalled to succeeded, %p',
    async databaseId => {
      const { store } = await createTestStore(databases, databaseId);
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const { request } = await store.createRequest({
        body,
        requester: ALICE,
        limits: limits(),
        now,
        decisionTimeoutMs: 7 * DAY,
        grantTtlMs: HOUR,
      });
      for (const [from, to] of [
        ['approved', 'applying'],
        ['applying', 'succeeded'],
      ] as const) {
        await store.transition({
          id: request.id,
          from,
          to,
          actor: 'x',
          action: 'x',
          now,
        });
      }
      await store.startDestroy({
        id: request.id,
        actor: ALICE,
        now,
        grantTtlMs: HOUR,
      });
      await store.recordDestroyLaunch({
        id: request.id,
        taskId: 'destroy-1',
        actor: 'x',
        now,
      });
      const settled = await syncInFlightRequests({
        store,
        tasks: {
          getTask: async () => ({
            status: 'processing',
            lastHeartbeatAt: '2026-02-28T23:00:00.000Z',
            stalled: true,
          }),
        },
        notifier: new RequestNotifier({ logger: mockServices.logger.mock() }),
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      expect(settled).toBe(1);
      expect(await store.getRequest(request.id)).toMatchObject({
        state: 'succeeded',
        stateReason:
          'tear-down did not finish: destroy task destroy-1 stopped running: no heartbeat from a scaffolder worker since 2026-02-28T23:00:00.000Z (the backend running it stopped)',
      });
      expect(await store.getUsage(TEAM)).toMatchObject({ liveCount: 1 });
    },
  );
});

describe('ScaffolderTaskStatusSource', () => {
  const taskResponse = (task: object) =>
    jest.fn(
      async () => new Response(JSON.stringify(task), { status: 200 }),
    ) as unknown as typeof fetch;
  const clock = Date.parse('2026-03-01T00:10:00.000Z');
  const sourceWith = (task: object, config: JsonObject = {}) =>
    new ScaffolderTaskStatusSource({
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      fetch: taskResponse(task),
      config: new ConfigReader(config),
      now: () => clock,
    });

  it('reads a task as the plugin and maps 404 to unknown', async () => {
    const fetchMock = jest.fn(async (url: string, init: RequestInit) => {
      expect((init.headers as Record<string, string>).Authorization).toMatch(
        /^Bearer /,
      );
      return url.endsWith('/v2/tasks/t1')
        ? new Response(JSON.stringify({ id: 't1', status: 'completed' }), {
            status: 200,
          })
        : new Response(
            JSON.stringify({ error: { name: 'NotFoundError', message: 'no' } }),
            {
              status: 404,
            },
          );
    });
    const source = new ScaffolderTaskStatusSource({
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      fetch: fetchMock as unknown as typeof fetch,
    });
    expect(await source.getTask('t1')).toEqual({
      status: 'completed',
      stalled: false,
    });
    expect(await source.getTask('t2')).toBeUndefined();
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://localhost:0/api/scaffolder/v2/tasks/t1',
    );
  });

  it('calls a processing task stalled once its heartbeat is older than selfService.statusSync.staleAfter (1 minute by default)', async () => {
    const at = (secondsAgo: number) =>
      new Date(clock - secondsAgo * 1000).toISOString();
    const processing = (secondsAgo: number) => ({
      status: 'processing',
      lastHeartbeatAt: at(secondsAgo),
    });
    expect((await sourceWith(processing(59)).getTask('t'))!.stalled).toBe(
      false,
    );
    expect(await sourceWith(processing(61)).getTask('t')).toEqual({
      ...processing(61),
      stalled: true,
    });
    // Only processing tasks stall.
    expect(
      (await sourceWith({ status: 'open', lastHeartbeatAt: at(600) }).getTask(
        't',
      ))!.stalled,
    ).toBe(false);
    const short = { selfService: { statusSync: { staleAfter: '5s' } } };
    expect((await sourceWith(processing(6), short).getTask('t'))!.stalled).toBe(
      true,
    );
  });

  it('leaves a stale task to the scaffolder task recovery first, when that is on', () => {
    expect(readStaleAfterMs(new ConfigReader({}))).toBe(60_000);
    expect(
      readStaleAfterMs(
        new ConfigReader({ scaffolder: { taskRecovery: { enabled: true } } }),
      ),
    ).toBe(60_000);
    expect(
      readStaleAfterMs(
        new ConfigReader({
          selfService: { statusSync: { staleAfter: { seconds: 5 } } },
          scaffolder: {
            taskRecovery: { enabled: true, staleTimeout: { minutes: 2 } },
          },
        }),
      ),
    ).toBe(150_000);
  });

  describe('describeRun', () => {
    const dir = createMockDirectory();
    const source = () =>
      new ScaffolderTaskStatusSource({
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
        config: new ConfigReader({
          selfService: { terraform: { workingDirectoryRoot: dir.path } },
        }),
      });
    const record = (taskId: string, content: object) =>
      dir.addContent({
        [`${taskId}/terraform/.self-service-run.json`]: JSON.stringify(content),
      });

    beforeEach(() => dir.clear());

    it('reports the command an interrupted run left and its state lock', async () => {
      const lockFile = dir.resolve('state/.terraform.tfstate.lock.info');
      record('t1', {
        label: 'terraform apply',
        pid: 999999,
        backendPid: 999998,
        startedAt: '2026-03-01T00:00:00.000Z',
        stateLockFile: lockFile,
      });
      dir.addContent({
        'state/.terraform.tfstate.lock.info': JSON.stringify({
          ID: 'lock-1',
          Operation: 'OperationTypeApply',
          Who: 'backstage@host',
          Created: '2026-03-01T00:00:01Z',
        }),
      });
      expect(await source().describeRun('t1')).toEqual({
        running: false,
        report: `terraform apply (pid 999999, started 2026-03-01T00:00:00.000Z) was interrupted: its backend (pid 999998) stopped while it ran; Terraform state lock left behind: ${lockFile} (ID lock-1, OperationTypeApply, by backstage@host, since 2026-03-01T00:00:01Z); the state may be partly written: inspect it, then \`terraform force-unlock lock-1\``,
      });

      record('t2', {
        label: 'terraform apply',
        pid: 999999,
        backendPid: 999998,
        startedAt: '2026-03-01T00:00:00.000Z',
        stateLockFile: dir.resolve('state/other.lock.info'),
      });
      expect((await source().describeRun('t2'))!.report).toMatch(
        /; it left no state lock$/,
      );
      expect(await source().describeRun('t3')).toBeUndefined();
    });

    it('says a run is still going when its command runs in this process', async () => {
      record('t1', {
        label: 'terraform apply',
        pid: process.pid,
        backendPid: process.pid,
        startedAt: '2026-03-01T00:00:00.000Z',
      });
      expect(await source().describeRun('t1')).toEqual({ running: true });
    });

    it('reads nothing without a working directory root', async () => {
      const plain = new ScaffolderTaskStatusSource({
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
      });
      expect(await plain.describeRun('t1')).toBeUndefined();
    });
  });
});
