import { mockServices } from '@backstage/backend-test-utils';
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
  ScaffolderTaskStatusSource,
  type ScaffolderTaskStatus,
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
        tasks: { getStatus: async taskId => statuses[taskId] },
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
      const getStatus = jest.fn(async (taskId: string) => statuses[taskId]);
      const settled = await syncInFlightRequests({
        store,
        tasks: { getStatus },
        notifier: new RequestNotifier({ logger: mockServices.logger.mock() }),
        logger: mockServices.logger.mock(),
        now: () => now,
      });

      expect(settled).toBe(2);
      // The not yet launched one has no destroy task to ask about; its apply
      // task (completed long ago) must not be mistaken for one.
      expect(getStatus.mock.calls.map(([t]) => t).sort()).toEqual(
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

describe('ScaffolderTaskStatusSource', () => {
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
    expect(await source.getStatus('t1')).toBe('completed');
    expect(await source.getStatus('t2')).toBeUndefined();
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://localhost:0/api/scaffolder/v2/tasks/t1',
    );
  });
});
