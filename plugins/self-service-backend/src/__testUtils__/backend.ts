import {
  type AuditorService,
  type BackstageCredentials,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, type PolicyDecision } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { JsonObject } from '@backstage/types';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import selfServicePlugin from '../index';
import {
  ALICE,
  BOB,
  CAROL,
  FINANCE,
  LEADS,
  MALLORY,
  OTHER_TEAM,
  TEAM,
  templateEntity,
} from './fixtures';

/** Ownership refs of the test users. */
export const USERS: Record<string, string[]> = {
  [ALICE]: [ALICE, TEAM],
  [BOB]: [BOB, TEAM, LEADS],
  'user:default/dave': ['user:default/dave', LEADS],
  [CAROL]: [CAROL, FINANCE],
  [MALLORY]: [MALLORY, OTHER_TEAM],
};

/** The two teams as Group entities with limit annotations. */
export function groups(budget = '1000', quota = '5'): Entity[] {
  return [TEAM, OTHER_TEAM].map(ref => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: ref.split('/')[1],
      namespace: 'default',
      annotations: {
        'self-service.io/monthly-budget': budget,
        'self-service.io/resource-quota': quota,
      },
    },
    spec: { type: 'team', children: [] },
  }));
}

/** The fixture requests' Template, with the steps their hash was taken of. */
export const template = templateEntity;

function withTemplate(entities: Entity[]): Entity[] {
  return entities.some(e => e.kind === 'Template') ? entities : [...entities, template()];
}

/** `Authorization` headers for the three kinds of caller. */
export const as = {
  user: (ref: string) => mockCredentials.user.header(ref),
  scaffolderFor: (ref: string) =>
    `Bearer ${mockCredentials.user.token(ref, { actor: { subject: 'plugin:scaffolder' } })}`,
  service: (subject: string) =>
    mockCredentials.service.header({
      onBehalfOf: mockCredentials.service(subject),
      targetPluginId: 'self-service',
    }),
};

/** Decides what the permission policy answers; ALLOW unless a test says otherwise. */
export type PolicyFn = (
  permissionName: string,
  user: string | undefined,
) => PolicyDecision;

function userOf(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  return p.type === 'user' ? p.userEntityRef : undefined;
}

/** Polls `check` until it holds (deliveries that start after a delay). */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

export interface TestHarness {
  http: ReturnType<typeof request>;
  notifications: { send: jest.Mock };
  signals: { publish: jest.Mock };
  /** What the plugin published on the events service. */
  events: { publish: jest.Mock; subscribe: jest.Mock };
  audits: Array<{ eventId: string; meta?: JsonObject; outcome?: 'success' | 'fail'; error?: string }>;
  launches: Array<{ body: any; subject: string }>;
  setPolicy(policy: PolicyFn | undefined): void;
  stop(): Promise<void>;
}

/**
 * Starts the plugin in a test backend with fakes at its edges: users and
 * groups, a permission policy, recording auditor, notifications and signals,
 * and a stand-in scaffolder plugin that records launched tasks.
 */
export async function startHarness(options: {
  knex?: Knex;
  config?: JsonObject;
  entities?: Entity[];
  /** More features or service factories, e.g. a scheduler the test triggers. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
} = {}): Promise<TestHarness> {
  const notifications = { send: jest.fn(async () => {}) };
  const signals = { publish: jest.fn(async () => {}) };
  const events = { publish: jest.fn(async () => {}), subscribe: jest.fn(async () => {}) };
  const audits: TestHarness['audits'] = [];
  const launches: TestHarness['launches'] = [];
  let policy: PolicyFn | undefined;

  const decide = (name: string, credentials: BackstageCredentials): PolicyDecision =>
    policy?.(name, userOf(credentials)) ?? { result: AuthorizeResult.ALLOW };
  const permissions: PermissionsService = {
    authorize: async (requests, { credentials }) =>
      requests.map(r => {
        const d = decide(r.permission.name, credentials);
        return { result: d.result === AuthorizeResult.ALLOW ? d.result : AuthorizeResult.DENY };
      }) as any,
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(r => decide(r.permission.name, credentials)) as any,
  };
  const auditor: AuditorService = {
    async createEvent({ eventId, meta }) {
      const record: TestHarness['audits'][number] = { eventId, meta };
      audits.push(record);
      return {
        async success() {
          record.outcome = 'success';
        },
        async fail({ error }) {
          record.outcome = 'fail';
          record.error = error.name;
        },
      };
    },
  };

  const scaffolderFake = createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.use(express.json());
          router.post('/v2/tasks', async (req, res) => {
            // The plugin launches apply and tear-down runs as itself, and
            // day-2 change runs on behalf of the person asking.
            const credentials = await httpAuth.credentials(req, { allow: ['service', 'user'] });
            const principal = credentials.principal as { subject?: string; userEntityRef?: string };
            launches.push({
              body: req.body,
              subject: principal.userEntityRef ?? principal.subject ?? 'unknown',
            });
            res.status(201).json({ id: `launched-task-${launches.length}` });
          });
          httpRouter.use(router);
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      selfServicePlugin,
      scaffolderFake,
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      ...(options.knex ? [mockServices.database.factory({ knex: options.knex })] : []),
      catalogServiceMock.factory({
        // The backend derives each request's needs from its template, so the
        // fixture template is always there unless a test brings its own.
        entities: withTemplate(options.entities ?? groups()),
      }),
      createServiceFactory({ service: notificationService, deps: {}, factory: () => notifications }),
      createServiceFactory({ service: signalsServiceRef, deps: {}, factory: () => signals }),
      createServiceFactory({ service: eventsServiceRef, deps: {}, factory: () => events }),
      createServiceFactory({ service: coreServices.permissions, deps: {}, factory: () => permissions }),
      createServiceFactory({ service: coreServices.auditor, deps: {}, factory: () => auditor }),
      ...(options.features ?? []),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: BackstageCredentials) {
            const ref = userOf(credentials)!;
            return { userEntityRef: ref, ownershipEntityRefs: USERS[ref] ?? [ref] };
          },
        }),
      }),
    ],
  });

  return {
    http: request(backend.server),
    notifications,
    signals,
    events,
    audits,
    launches,
    setPolicy: p => {
      policy = p;
    },
    stop: () => backend.stop(),
  };
}
