import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_EXTENSION_POLICIES } from './followUps/extensionPolicy';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  REQUEST_TRANSITIONS,
  type RequestState,
  SELF_SERVICE_RESOURCES_TOPIC,
} from '@internal/plugin-self-service-common';
import {
  ALICE,
  DAY,
  HOUR,
  TEAM,
  limits,
  requestBody,
  authority,
  GUARDRAILS,
} from '../__testUtils__/fixtures';
import { createTestDatabases, createTestStore } from '../__testUtils__/store';
import { RequestNotifier } from './notifier';
import { localRequestRuleset } from './permissions';
import { RequestService } from './RequestService';
import { isResourceChange } from './resourceEvents';

jest.setTimeout(60_000);

describe('isResourceChange', () => {
  it('is true exactly for the transitions into or out of a live state', () => {
    const edges = Object.entries(REQUEST_TRANSITIONS).flatMap(([from, tos]) =>
      tos.map(to => [from as RequestState, to] as const),
    );
    expect(edges.filter(([from, to]) => isResourceChange(from, to))).toEqual([
      ['applying', 'succeeded'],
      ['succeeded', 'destroying'],
      ['destroying', 'destroyed'],
      ['destroying', 'succeeded'],
    ]);
    expect(isResourceChange(undefined, 'approved')).toBe(false);
    expect(isResourceChange('succeeded', 'succeeded')).toBe(false);
  });
});

describe('resource events from request changes', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(publish: () => Promise<void> = async () => {}) {
      const { store } = await createTestStore(databases, databaseId);
      const events = mockServices.events.mock({ publish: jest.fn(publish) });
      const logger = mockServices.logger.mock();
      const notifier = new RequestNotifier({ events, logger });
      const service = new RequestService({
        store,
        limits: { getLimits: async () => limits() },
        ...authority(),
        permissions: {
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW }) as const),
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
          launchEnabled: false,
        },
        logger,
      });
      const alice = {
        credentials: mockCredentials.user(ALICE),
        userEntityRef: ALICE,
        ownershipEntityRefs: [ALICE, TEAM],
      };
      const body = requestBody({ approvalPolicy: { stages: [] } });
      const { request, grant } = await service.create(body, alice);
      await service.redeem(
        {
          requestId: request.id,
          templateRef: body.templateRef,
          parametersHash: body.parametersHash,
          planHash: body.planHash!,
          taskId: body.taskId,
          token: grant!.token,
        },
        'plugin:scaffolder',
      );
      // Deliveries run after each call has answered; wait for them.
      const report = async (
        state: 'succeeded' | 'destroying' | 'destroyed' | 'failed',
        taskId: string,
      ) => {
        const result = await service.reportStatus(
          request.id,
          { state, taskId },
          'plugin:scaffolder',
        );
        await notifier.settled();
        return result;
      };
      await notifier.settled();
      return { events, logger, request, body, report };
    }

    it('announces a resource when it goes live, is being destroyed and stays after a failed tear-down', async () => {
      const { events, request, body, report } = await setup();
      expect(events.publish).not.toHaveBeenCalled(); // created, approved, applying
      await report('succeeded', body.taskId);
      await report('destroying', 'task-destroy');
      await report('failed', 'task-destroy');
      expect(events.publish.mock.calls.map(([e]) => e)).toEqual(
        ['succeeded', 'destroying', 'succeeded'].map(state => ({
          topic: SELF_SERVICE_RESOURCES_TOPIC,
          eventPayload: { requestId: request.id, state },
        })),
      );
    });

    it('announces destroyed', async () => {
      const { events, request, body, report } = await setup();
      await report('succeeded', body.taskId);
      await report('destroying', 'task-destroy');
      await report('destroyed', 'task-destroy');
      expect(events.publish).toHaveBeenLastCalledWith({
        topic: SELF_SERVICE_RESOURCES_TOPIC,
        eventPayload: { requestId: request.id, state: 'destroyed' },
      });
    });

    it('keeps the committed change when the event cannot be published', async () => {
      const { logger, body, report } = await setup(async () => {
        throw new Error('bus down');
      });
      expect((await report('succeeded', body.taskId)).state).toBe('succeeded');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('bus down'),
      );
    });
  });
});
