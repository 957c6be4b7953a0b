import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_EXTENSION_POLICIES } from './followUps/extensionPolicy';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ALICE,
  BOB,
  DAY,
  HOUR,
  LEADS,
  TEAM,
  limits,
  requestBody,
  authority,
  GUARDRAILS,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';
import type { Launcher } from './launcher';
import { RequestNotifier } from './notifier';
import { localRequestRuleset } from './permissions';
import { RequestService } from './RequestService';

jest.setTimeout(60_000);

const caller = (ref: string, groups: string[] = []) => ({
  credentials: mockCredentials.user(ref),
  userEntityRef: ref,
  ownershipEntityRefs: [ref, ...groups],
});
const alice = caller(ALICE, [TEAM]);
const bob = caller(BOB, [LEADS]);

describe('RequestService', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(
      options: {
        launcher?: Launcher;
        launchEnabled?: boolean;
        admin?: boolean;
      } = {},
    ) {
      const { knex, store } = await createTestStore(databases, databaseId);
      let clock = new Date('2026-02-01T09:00:00.000Z');
      const notifications = { send: jest.fn(async () => {}) };
      const notifier = new RequestNotifier({
        notifications,
        logger: mockServices.logger.mock(),
      });
      const service = new RequestService({
        store,
        limits: { getLimits: async () => limits() },
        ...authority(),
        permissions: {
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'self-service.admin' && !options.admin
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW }) as const),
        },
        ruleset: localRequestRuleset(),
        notifier,
        settings: {
          approvalTimeoutMs: 7 * DAY,
          grantTtlMs: 24 * HOUR,
          sweepFrequency: { minutes: 5 },
          limitsCacheTtlMs: 0,
          guardrails: GUARDRAILS,
          extensions: DEFAULT_EXTENSION_POLICIES,
          launchEnabled: options.launchEnabled ?? true,
        },
        logger: mockServices.logger.mock(),
        launcher: options.launcher,
        now: () => clock,
      });
      const advance = (ms: number) => {
        clock = new Date(clock.getTime() + ms);
      };
      // Deliveries go out after the call that caused them: wait for them.
      const delivered = () => notifier.settled();
      return { knex, store, service, notifications, advance, delivered };
    }

    it('launches the apply phase exactly once, as the final approval', async () => {
      const launch = jest.fn(async () => ({ taskId: 'task-apply' }));
      const { service, store } = await setup({ launcher: { launch } });
      const { request } = await service.create(requestBody(), alice);
      const applying = await service.decide(
        request.id,
        { decision: 'approve' },
        bob,
      );
      expect(applying).toMatchObject({
        state: 'applying',
        taskIds: [request.taskIds[0], 'task-apply'],
      });
      expect(launch).toHaveBeenCalledTimes(1);
      expect(launch).toHaveBeenCalledWith(
        expect.objectContaining({ id: request.id, state: 'approved' }),
        expect.stringMatching(/^[\w-]{43}$/),
      );
      expect((await store.getUsage(TEAM)).reservedCount).toBe(1);
    });

    it('fails the request and releases its reservation when the launch fails', async () => {
      const launcher = {
        launch: jest.fn(async () =>
          Promise.reject(new Error('scaffolder down')),
        ),
      };
      const { service, store } = await setup({ launcher });
      const { request } = await service.create(requestBody(), alice);
      const failed = await service.decide(
        request.id,
        { decision: 'approve' },
        bob,
      );
      expect(failed).toMatchObject({
        state: 'failed',
        stateReason: 'could not start the apply phase: scaffolder down',
      });
      expect((await store.getUsage(TEAM)).reservedCount).toBe(0);
    });

    it('leaves an approved request waiting when launching is disabled', async () => {
      const launch = jest.fn();
      const { service } = await setup({
        launcher: { launch },
        launchEnabled: false,
      });
      const { request } = await service.create(requestBody(), alice);
      const approved = await service.decide(
        request.id,
        { decision: 'approve' },
        bob,
      );
      expect(approved.state).toBe('approved');
      expect(launch).not.toHaveBeenCalled();
    });

    it('expires undecided requests and lapsed approvals, releasing them and telling the requester', async () => {
      const { service, store, notifications, advance, delivered } = await setup(
        {
          launchEnabled: false,
        },
      );
      const undecided = (await service.create(requestBody(), alice)).request;
      const approved = (await service.create(requestBody(), alice)).request;
      await service.decide(approved.id, { decision: 'approve' }, bob);
      advance(2 * DAY);
      const fresh = (await service.create(requestBody(), alice)).request;

      expect(await service.expireDue()).toBe(1); // the approval's grant lapsed
      expect((await store.getRequest(approved.id))!.stateReason).toContain(
        'grant expired',
      );
      advance(6 * DAY);
      expect(await service.expireDue()).toBe(1); // the first request's deadline passed
      expect(await store.getRequest(undecided.id)).toMatchObject({
        state: 'expired',
        stateReason: 'nobody decided before the deadline',
        currentStage: null,
      });
      expect((await store.getRequest(fresh.id))!.state).toBe(
        'pending_approval',
      );
      expect(await store.getUsage(TEAM)).toMatchObject({
        reservedCount: 1,
        reservedMonthly: 100,
      });
      await delivered();
      expect(notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: ALICE },
          payload: expect.objectContaining({
            title: expect.stringContaining('expired'),
          }),
        }),
      );
    });

    it('lets only the requester withdraw, and only while pending', async () => {
      const { service } = await setup();
      const { request } = await service.create(requestBody(), alice);
      await expect(service.cancel(request.id, bob)).rejects.toThrow(
        NotAllowedError,
      );
      expect((await service.cancel(request.id, alice)).state).toBe('canceled');
      await expect(service.cancel(request.id, alice)).rejects.toThrow(
        ConflictError,
      );
    });

    it('lets a platform admin withdraw any pending request', async () => {
      const { service } = await setup({ admin: true });
      const { request } = await service.create(requestBody(), alice);
      expect((await service.cancel(request.id, bob)).stateReason).toBe(
        `withdrawn by ${BOB}`,
      );
    });

    it('accepts status reports only from tasks of the request, in lifecycle order', async () => {
      const { service } = await setup({
        launcher: { launch: async () => ({ taskId: 'task-apply' }) },
      });
      const { request } = await service.create(requestBody(), alice);
      await service.decide(request.id, { decision: 'approve' }, bob);
      await expect(
        service.reportStatus(
          request.id,
          { state: 'succeeded', taskId: 'task-x' },
          'plugin:scaffolder',
        ),
      ).rejects.toThrow('taskId: task task-x does not belong');
      await expect(
        service.reportStatus(
          request.id,
          { state: 'destroyed', taskId: 'task-apply' },
          'plugin:scaffolder',
        ),
      ).rejects.toThrow(ConflictError);
      const done = await service.reportStatus(
        request.id,
        {
          state: 'succeeded',
          taskId: 'task-apply',
          resourceRefs: ['resource:default/db'],
        },
        'plugin:scaffolder',
      );
      expect(done).toMatchObject({
        state: 'succeeded',
        resourceRefs: ['resource:default/db'],
      });
      const destroying = await service.reportStatus(
        request.id,
        { state: 'destroying', taskId: 'task-destroy' },
        'plugin:scaffolder',
      );
      expect(destroying.taskIds).toContain('task-destroy');
    });

    it('notifies the next stage when one passes and the requester on rejection', async () => {
      const { service, notifications, delivered } = await setup();
      const finance = 'group:default/finance';
      const { request } = await service.create(
        requestBody({
          approvalPolicy: {
            stages: [
              { name: 'lead', groups: [LEADS], quorum: 1 },
              { name: 'finance', groups: [finance], quorum: 1 },
            ],
          },
        }),
        alice,
      );
      await service.decide(request.id, { decision: 'approve' }, bob);
      await delivered();
      expect(notifications.send).toHaveBeenLastCalledWith(
        expect.objectContaining({
          recipients: expect.objectContaining({ entityRef: [finance] }),
        }),
      );
      await service.decide(
        request.id,
        { decision: 'reject', comment: 'over budget' },
        caller('user:default/carol', [finance]),
      );
      await delivered();
      expect(notifications.send).toHaveBeenLastCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: ALICE },
          payload: expect.objectContaining({ description: 'over budget' }),
        }),
      );
    });
  });
});
