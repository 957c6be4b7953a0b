/*
 * HTTP helpers for the flow tests and benchmarks: the scaffolder, catalog,
 * self-service and notifications APIs of a running backend, called the way
 * the frontend calls them (a user's bearer token), plus polling helpers.
 * No jest APIs, so the benchmarks use it too.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  SelfServiceRequest,
  SelfServiceRequestDetail,
  TeamUsage,
} from '@internal/plugin-self-service-common';

export const TEMPLATE_REF = 'template:default/postgres-database';
export const TEAM = 'group:default/team-a';

/** The example users (examples/org/org.yaml). */
export const DEV = 'user:default/dev';
export const LEAD = 'user:default/lead';
export const DBA_ALICE = 'user:default/dba-alice';
export const DBA_BOB = 'user:default/dba-bob';
export const OUTSIDER = 'user:default/outsider';

export type TaskStatus =
  'open' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'skipped';

export interface ScaffolderTask {
  id: string;
  status: TaskStatus;
  createdAt: string;
  createdBy?: string;
  spec: {
    parameters: Record<string, unknown>;
    templateInfo?: { entityRef: string };
    user?: { ref?: string };
  };
}

export interface TaskEvent {
  type: string;
  createdAt: string;
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
    error?: { name?: string; message?: string };
  };
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/** Parameters of the postgres-database template; override what a test needs. */
export function databaseParameters(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'orders-dev',
    team: TEAM,
    instance_size: 'small',
    storage_gb: 20,
    backup_enabled: true,
    environment: 'dev',
    justification: 'flow test',
    ...overrides,
  };
}

export async function sleep(ms: number) {
  await new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}

const FINAL: TaskStatus[] = ['completed', 'failed', 'cancelled', 'skipped'];

export class FlowClient {
  constructor(private readonly baseUrl: string) {}

  /** Calls the API as `user` (an entity ref), or without credentials. */
  async call<T = any>(
    method: string,
    path: string,
    options: { as?: string; body?: unknown; authorization?: string } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = {};
    const authorization =
      options.authorization ??
      (options.as ? mockCredentials.user.header(options.as) : undefined);
    if (authorization) headers.authorization = authorization;
    if (options.body !== undefined)
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON; keep the text
    }
    return { status: response.status, body };
  }

  private async ok<T>(
    method: string,
    path: string,
    options: { as?: string; body?: unknown } = {},
  ): Promise<T> {
    const res = await this.call<T>(method, path, options);
    if (res.status >= 300) {
      throw new Error(
        `${method} ${path} as ${options.as}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  // --- catalog ---------------------------------------------------------

  /** Waits until the catalog serves the template and the example org. */
  async waitForCatalog(timeoutMs = 60_000): Promise<void> {
    for (const path of [
      '/api/catalog/entities/by-name/template/default/postgres-database',
      '/api/catalog/entities/by-name/group/default/team-a',
      '/api/catalog/entities/by-name/group/default/team-a-leads',
      '/api/catalog/entities/by-name/user/default/lead',
      '/api/catalog/entities/by-name/group/default/dba',
    ]) {
      await waitFor(
        `catalog entity ${path}`,
        async () => {
          const res = await this.call('GET', path, { as: DEV });
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs, intervalMs: 200 },
      );
    }
  }

  async catalogEntities(filter: string, as = DEV): Promise<any[]> {
    return this.ok<any[]>(
      'GET',
      `/api/catalog/entities?filter=${encodeURIComponent(filter)}`,
      { as },
    );
  }

  // --- scaffolder ------------------------------------------------------

  /** Starts the template as `as`; returns the HTTP result ({ id } on 201). */
  startTask(
    as: string,
    values: Record<string, unknown>,
    secrets?: Record<string, string>,
    templateRef = TEMPLATE_REF,
  ): Promise<HttpResult<{ id: string }>> {
    return this.call('POST', '/api/scaffolder/v2/tasks', {
      as,
      body: {
        templateRef,
        values,
        ...(secrets ? { secrets } : {}),
      },
    });
  }

  async startTaskOk(
    as: string,
    values: Record<string, unknown>,
    secrets?: Record<string, string>,
    templateRef = TEMPLATE_REF,
  ): Promise<string> {
    const res = await this.startTask(as, values, secrets, templateRef);
    if (res.status !== 201) {
      throw new Error(
        `starting the template: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.id;
  }

  getTask(taskId: string, as = DEV): Promise<ScaffolderTask> {
    return this.ok('GET', `/api/scaffolder/v2/tasks/${taskId}`, { as });
  }

  taskEvents(taskId: string, as = DEV): Promise<TaskEvent[]> {
    return this.ok('GET', `/api/scaffolder/v2/tasks/${taskId}/events`, { as });
  }

  /** Waits for the task to finish; returns it with its events. */
  async waitForTask(
    taskId: string,
    options: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<ScaffolderTask & { events: TaskEvent[]; log: string }> {
    const task = await waitFor(
      `task ${taskId} to finish`,
      async () => {
        const t = await this.getTask(taskId);
        return FINAL.includes(t.status) ? t : undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? 60_000,
        intervalMs: options.intervalMs ?? 100,
      },
    );
    const events = await this.taskEvents(taskId);
    const log = events
      .map(e => e.body.message)
      .filter(Boolean)
      .join('\n');
    return { ...task, events, log };
  }

  /** Every task of the postgres template (any creator). */
  async templateTasks(): Promise<ScaffolderTask[]> {
    const body = await this.ok<{ tasks: ScaffolderTask[] }>(
      'GET',
      '/api/scaffolder/v2/tasks?limit=1000',
      { as: DEV },
    );
    return body.tasks.filter(
      t => t.spec.templateInfo?.entityRef === TEMPLATE_REF,
    );
  }

  /** Tasks of the template whose parameters have this `name`. */
  async tasksNamed(name: string): Promise<ScaffolderTask[]> {
    return (await this.templateTasks()).filter(
      t => t.spec.parameters?.name === name,
    );
  }

  // --- self-service ----------------------------------------------------

  /** The request a scaffolder task created (as its requester sees it). */
  async requestOfTask(
    taskId: string,
    as = DEV,
  ): Promise<SelfServiceRequest | undefined> {
    const page = await this.ok<{ items: SelfServiceRequest[] }>(
      'GET',
      '/api/self-service/requests?limit=100',
      { as },
    );
    return page.items.find(r => r.taskIds.includes(taskId));
  }

  getRequest(id: string, as = DEV): Promise<SelfServiceRequestDetail> {
    return this.ok('GET', `/api/self-service/requests/${id}`, { as });
  }

  decide(
    id: string,
    as: string,
    decision: 'approve' | 'reject',
    comment = `${decision} by ${as}`,
  ): Promise<HttpResult<SelfServiceRequestDetail>> {
    return this.call('POST', `/api/self-service/requests/${id}/decisions`, {
      as,
      body: { decision, comment },
    });
  }

  cancel(id: string, as = DEV): Promise<HttpResult<SelfServiceRequestDetail>> {
    return this.call('POST', `/api/self-service/requests/${id}/cancel`, { as });
  }

  usage(team = TEAM, as = DEV): Promise<TeamUsage> {
    return this.ok(
      'GET',
      `/api/self-service/teams/${encodeURIComponent(team)}/usage`,
      {
        as,
      },
    );
  }

  /** Waits until the request reaches one of `states`. */
  async waitForState(
    id: string,
    states: string[],
    timeoutMs = 60_000,
  ): Promise<SelfServiceRequestDetail> {
    return waitFor(
      `request ${id} to become ${states.join(' or ')}`,
      async () => {
        const r = await this.getRequest(id);
        return states.includes(r.state) ? r : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  // --- notifications ---------------------------------------------------

  async notifications(as: string): Promise<
    Array<{
      payload: {
        title: string;
        description?: string;
        link?: string;
        topic?: string;
      };
    }>
  > {
    const body = await this.ok<{ notifications: any[] }>(
      'GET',
      '/api/notifications/notifications?limit=100',
      { as },
    );
    return body.notifications;
  }
}
