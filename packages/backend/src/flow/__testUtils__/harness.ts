/*
 * Boots a real backend for the end-to-end flow tests and benchmarks: the
 * catalog (with Template support and the self-service catalog module), the
 * scaffolder with the self-service actions, the self-service backend, and the
 * notifications and signals backends, reading the example org and template
 * from examples/. Terraform is the recorded stand-in.
 *
 * What is not real, and why:
 * - auth / httpAuth are the test backend's mock tokens (no auth backend, no
 *   signed JWTs). One gap of the mock is closed in identity.ts: a token a plugin
 *   obtains on behalf of a user carries that plugin as the actor, as the real
 *   DefaultAuthService does; the self-service backend relies on that actor.
 * - userInfo maps the example users to their groups from examples/org/org.yaml.
 * - the scheduler is the mock one: periodic tasks (expiry sweep, status sync,
 *   resource refresh) run only when a test triggers them, so tests are
 *   deterministic.
 * - one in-process events service shared by every plugin, as in production
 *   (the test backend's default mock gives each plugin its own).
 *
 * Permissions are real: the permission backend with the project's policy
 * (packages/backend/src/modules), as in packages/backend/src/index.ts.
 *
 * No jest APIs are used here, so the benchmarks load this file too.
 */
import { spawnSync } from 'node:child_process';
import {
  type BackendFeature,
  createServiceFactory,
  resolvePackagePath,
  type SchedulerService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import signalsPlugin from '@backstage/plugin-signals-backend';
import scaffolderModuleSelfService from '@internal/plugin-scaffolder-backend-module-self-service';
import selfServicePlugin, {
  catalogModuleSelfService,
} from '@internal/plugin-self-service-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfServicePermissionPolicyModule } from '../../modules/permissionPolicy';
import { authFactory, userInfoFactory } from './identity';

const ACTIONS_PACKAGE = resolvePackagePath(
  '@internal/plugin-scaffolder-backend-module-self-service',
);
/** The repository root (the actions package is plugins/<name>). */
export const REPO_ROOT = path.resolve(ACTIONS_PACKAGE, '../..');
export const ORG_FILE = path.join(REPO_ROOT, 'examples/org/org.yaml');
export const TEMPLATE_FILE = path.join(
  REPO_ROOT,
  'examples/templates/postgres-database/template.yaml',
);
export const PRICE_BOOK = path.join(REPO_ROOT, 'examples/price-book.yaml');
export const STANDIN = path.join(ACTIONS_PACKAGE, 'bin/terraform-standin.js');
const STANDIN_FIXTURES = path.join(ACTIONS_PACKAGE, 'fixtures/standin');

/** The scheduler mock's own methods, beside the SchedulerService ones. */
type MockScheduler = SchedulerService & {
  factory(options?: {
    skipTaskRunOnStartup?: boolean;
  }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
};

export interface FlowBackendOptions {
  /**
   * Where everything the backend writes goes (Terraform working and state
   * directories, the copy of the stand-in fixtures, SQLite files); a fresh
   * temporary directory by default, removed by `stop()`. Pass one to restart
   * on the same data (it is then left in place).
   */
  dataDir?: string;
  /**
   * `backend.database`; in-memory SQLite by default. E.g.
   * `{ client: 'better-sqlite3', connection: { directory } }`.
   */
  database?: JsonObject;
  /**
   * Register a copy of the postgres template (with its module) from the data
   * directory instead of examples/, so a test can edit it.
   */
  copyTemplate?: boolean;
  /** The org file the catalog reads (default examples/org/org.yaml). */
  orgFile?: string;
  /** More Template files for the catalog (e.g. a benchmark's baseline). */
  extraTemplates?: string[];
  /** More backend features (e.g. a benchmark's scaffolder module). */
  features?: BackendFeature[];
  /** Merged over the `selfService` config. */
  selfService?: JsonObject;
  /** Log level of the backend's logs (FLOW_LOG env var by default: none). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'none';
}

export interface FlowBackend {
  backend: TestBackend;
  /** e.g. http://localhost:41234 */
  baseUrl: string;
  dataDir: string;
  /** The stand-in's fixtures for this backend (a copy: tests may edit it). */
  fixturesDir: string;
  /** The template file the catalog reads (a copy with `copyTemplate`). */
  templateFile: string;
  /** Terraform working directories, one per scaffolder task. */
  workDir: string;
  scheduler: SchedulerService;
  /** The events service every plugin shares (e.g. the scaffolder's `scaffolder.task`). */
  events: ReturnType<typeof mockServices.events>;
  stop(): Promise<void>;
}

function deepMerge(base: JsonObject, over: JsonObject | undefined): JsonObject {
  if (!over) return base;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as JsonObject, value as JsonObject)
        : value;
  }
  return out;
}

function templateFileOf(dataDir: string, options: FlowBackendOptions) {
  return options.copyTemplate
    ? path.join(dataDir, 'templates/postgres-database/template.yaml')
    : TEMPLATE_FILE;
}

/** The configuration: app-config.yaml's settings with test paths. */
export function flowConfig(
  dataDir: string,
  options: FlowBackendOptions,
): JsonObject {
  const fixturesDir = path.join(dataDir, 'standin-fixtures');
  const templateFile = templateFileOf(dataDir, options);
  const base: JsonObject = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      ...(options.database ? { database: options.database } : {}),
    },
    permission: { enabled: true },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Template',
            'User',
            'Group',
            'Domain',
          ],
        },
      ],
      locations: [
        {
          type: 'file',
          target: options.orgFile ?? ORG_FILE,
          rules: [{ allow: ['User', 'Group'] }],
        },
        ...[templateFile, ...(options.extraTemplates ?? [])].map(target => ({
          type: 'file',
          target,
          rules: [{ allow: ['Template'] }],
        })),
      ],
    },
    // approvalTimeout / grantTtl: the defaults (7 days / 24 hours) unless a
    // test sets them; durations are not deep-merged.
    selfService: {
      defaults: { currency: 'USD', monthlyBudget: 500, resourceQuota: 3 },
      priceBook: { path: PRICE_BOOK },
      guardrails: { financeThreshold: 400 },
      terraform: {
        binary: STANDIN,
        workingDirectoryRoot: path.join(dataDir, 'terraform-work'),
        stateDirectory: path.join(dataDir, 'terraform-state'),
        timeout: { minutes: 2 },
        environment: {
          TF_STANDIN_SCENARIO: 'create',
          TF_STANDIN_FIXTURES: fixturesDir,
        },
      },
    },
  };
  return deepMerge(base, { selfService: options.selfService ?? {} });
}

/** Starts the backend; `stop()` it when done. */
export async function startFlowBackend(
  options: FlowBackendOptions = {},
): Promise<FlowBackend> {
  const dataDir =
    options.dataDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-flow-'));
  const fixturesDir = path.join(dataDir, 'standin-fixtures');
  if (!fs.existsSync(fixturesDir)) {
    fs.cpSync(STANDIN_FIXTURES, fixturesDir, { recursive: true });
  }
  const templateFile = templateFileOf(dataDir, options);
  if (options.copyTemplate && !fs.existsSync(templateFile)) {
    fs.cpSync(path.dirname(TEMPLATE_FILE), path.dirname(templateFile), {
      recursive: true,
    });
  }
  const logLevel =
    options.logLevel ??
    ((process.env.FLOW_LOG as FlowBackendOptions['logLevel']) || 'none');
  const scheduler = mockServices.scheduler() as MockScheduler;
  // The test backend's default events mock is one instance per plugin; the
  // catalog module must hear what the self-service plugin publishes.
  const events = mockServices.events();
  const eventsFactory = createServiceFactory({
    service: mockServices.events.factory().service,
    deps: {},
    factory: () => events,
  });

  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: flowConfig(dataDir, options) }),
      mockServices.rootLogger.factory({ level: logLevel }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      eventsFactory,
      userInfoFactory,
      authFactory,
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      catalogModuleSelfService,
      scaffolderPlugin,
      scaffolderModuleSelfService,
      permissionPlugin,
      selfServicePermissionPolicyModule,
      notificationsPlugin,
      signalsPlugin,
      selfServicePlugin,
      ...(options.features ?? []),
    ],
  });
  const port = backend.server.port();
  return {
    backend,
    baseUrl: `http://localhost:${port}`,
    dataDir,
    fixturesDir,
    templateFile,
    workDir: path.join(dataDir, 'terraform-work'),
    scheduler,
    events,
    async stop() {
      await backend.stop();
      // A directory the caller chose is theirs (e.g. to restart on it).
      if (!options.dataDir) {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The real Terraform (or OpenTofu) CLI on PATH, if any: the flow tests that
 * drive the real binary run only with one, and say so when they skip.
 */
export function realTerraformBinary(test: string): string | undefined {
  const binary = ['terraform', 'tofu'].find(
    name => spawnSync(name, ['version'], { stdio: 'ignore' }).status === 0,
  );
  if (!binary) {
    // eslint-disable-next-line no-console
    console.warn(`${test}: no terraform or tofu on PATH; SKIPPED`);
  }
  return binary;
}
