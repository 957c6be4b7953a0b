import type { AuditorService } from '@backstage/backend-plugin-api';
import { DEFAULT_EXTENSION_POLICIES } from '../service/followUps/extensionPolicy';
import { mockServices, type TestDatabases } from '@backstage/backend-test-utils';
import type { CreateRequestBody } from '@internal/plugin-self-service-common';
import type { JsonObject } from '@backstage/types';
import knexFactory, { type Knex } from 'knex';
import { SelfServiceStore } from '../database/SelfServiceStore';
import { LIFECYCLE_DEFAULTS, type LifecycleSettings } from '../service/lifecycle/config';
import type { LifecycleDeps } from '../service/lifecycle/types';
import type { Launcher } from '../service/launcher';
import { RequestNotifier } from '../service/notifier';
import { ALICE, DAY, GUARDRAILS, HOUR, limits, requestBody } from './fixtures';
import { createTestStore } from './store';

export const START = new Date('2026-03-02T09:00:00.000Z');
const SCAFFOLDER = 'plugin:scaffolder';

/** A second connection pool to the same database: another backend instance. */
export function secondConnection(knex: Knex): Knex {
  return knexFactory(knex.client.config);
}

/** Everything a lifecycle sweep talks to, faked, with a clock the test moves. */
export async function lifecycleHarness(options: {
  databases: TestDatabases;
  databaseId: Parameters<TestDatabases['init']>[0];
  /** Share this database instead of a fresh one (another instance). */
  knex?: Knex;
  lifecycle?: Partial<LifecycleSettings>;
  launcher?: Launcher;
  clock?: { now: Date };
}) {
  const { knex, store } = options.knex
    ? {
        knex: options.knex,
        store: await SelfServiceStore.create({
          database: mockServices.database({ knex: options.knex }),
        }),
      }
    : await createTestStore(options.databases, options.databaseId);
  const clock = options.clock ?? { now: START };
  const notifications = { send: jest.fn(async (_: any) => {}) };
  const notifier = new RequestNotifier({
    notifications,
    logger: mockServices.logger.mock(),
    runSettleMs: 0,
  });
  const audits: Array<{ eventId: string; meta?: JsonObject; outcome?: string; error?: string }> = [];
  const auditor: AuditorService = {
    async createEvent({ eventId, meta }) {
      const record: (typeof audits)[number] = { eventId, meta };
      audits.push(record);
      return {
        async success() {
          record.outcome = 'success';
        },
        async fail({ error }) {
          record.outcome = 'fail';
          record.error = error.message;
        },
      };
    },
  };
  const launches: Array<{ requestId: string; token: string; operation?: string }> = [];
  const launcher: Launcher = options.launcher ?? {
    async launch(request, token, launchOptions) {
      launches.push({ requestId: request.id, token, operation: launchOptions?.operation });
      return { taskId: `destroy-task-${launches.length}-${request.id.slice(0, 8)}` };
    },
  };
  const deps: LifecycleDeps = {
    store,
    notifier,
    notifications,
    auditor,
    launcher,
    limits: { getLimits: async team => limits({ team, resourceQuota: 10 }) },
    logger: mockServices.logger.mock(),
    settings: {
      approvalTimeoutMs: 7 * DAY,
      grantTtlMs: 24 * HOUR,
      sweepFrequency: { minutes: 5 },
      limitsCacheTtlMs: 0,
      guardrails: GUARDRAILS,
      extensions: DEFAULT_EXTENSION_POLICIES,
      launchEnabled: true,
    },
    lifecycle: { ...LIFECYCLE_DEFAULTS, ...options.lifecycle },
    now: () => clock.now,
  };
  const base = () => ({
    requester: ALICE,
    now: clock.now,
    decisionTimeoutMs: 7 * DAY,
    grantTtlMs: 24 * HOUR,
    limits: limits({ resourceQuota: 100, monthlyBudget: 100_000 }),
  });

  /** A request of Alice's, applied and succeeded now, expiring `ttlMs` from now (never if undefined). */
  async function succeeded(
    ttlMs: number | undefined,
    patch: Partial<Record<keyof CreateRequestBody, unknown>> = {},
  ) {
    const body = requestBody({
      approvalPolicy: { stages: [] },
      ...(ttlMs === undefined
        ? { environment: 'production' }
        : { expiresAt: new Date(clock.now.getTime() + ttlMs).toISOString() }),
      ...patch,
    });
    const { request, grant } = await store.createRequest({ ...base(), body });
    await store.redeemGrant(
      {
        requestId: request.id,
        templateRef: body.templateRef,
        parametersHash: body.parametersHash,
        planHash: body.planHash!,
        taskId: body.taskId,
        token: grant!.token,
      },
      { actor: SCAFFOLDER, now: clock.now },
    );
    return store.transition({
      id: request.id,
      from: 'applying',
      to: 'succeeded',
      actor: SCAFFOLDER,
      action: 'applied',
      now: clock.now,
    });
  }

  /** A pending request of Alice's, created now. */
  async function pending(patch: Partial<Record<keyof CreateRequestBody, unknown>> = {}) {
    const { request } = await store.createRequest({ ...base(), body: requestBody(patch) });
    expect(request.state).toBe('pending_approval');
    return request;
  }

  /** Notifications the sweeps sent (not the notifier's), by topic. */
  const sent = (topic: string) =>
    notifications.send.mock.calls
      .map(([n]) => n)
      .filter(n => n.payload.topic === topic);

  return {
    knex,
    store,
    deps,
    clock,
    notifications,
    notifier,
    audits,
    launches,
    sent,
    succeeded,
    pending,
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
}
