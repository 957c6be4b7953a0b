import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { type Config, readDurationFromConfig } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import {
  readStateLock,
  RUN_RECORD_FILE,
  type RunRecord,
} from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';

/** Statuses of a scaffolder task. @internal */
export type ScaffolderTaskStatus =
  'open' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'skipped';

/** What the status sync needs to know of a scaffolder task. @internal */
export interface TaskSnapshot {
  status: ScaffolderTaskStatus;
  /** When a worker last said it runs the task (ISO time). */
  lastHeartbeatAt?: string;
  /**
   * A `processing` task no live worker runs: its heartbeat is older than the
   * stale limit (the backend running it died or lost its database), and the
   * scaffolder's task recovery, when enabled, had its chance to take it up.
   */
  stalled?: boolean;
}

/**
 * What the working directory of a task says about a Terraform command it
 * ran (the run record `LocalTerraformRunner` keeps while a command runs).
 * @internal
 */
export interface TerraformRunInfo {
  /** The command still runs in this backend process: the task is alive. */
  running: boolean;
  /** For the request's reason: the interrupted command and any state lock it left. */
  report?: string;
}

/** Where the status sync learns how an apply or destroy task is doing. @internal */
export interface TaskStatusSource {
  /** Undefined when the scaffolder does not know the task. */
  getTask(taskId: string): Promise<TaskSnapshot | undefined>;
  /** Undefined when the task left no run record (or none is readable here). */
  describeRun?(taskId: string): Promise<TerraformRunInfo | undefined>;
}

/** Default of `selfService.statusSync.staleAfter`. @internal */
export const DEFAULT_STALE_AFTER: HumanDuration = { minutes: 1 };
/** The scaffolder's own default of `scaffolder.taskRecovery.staleTimeout`. */
const SCAFFOLDER_RECOVERY_TIMEOUT: HumanDuration = { seconds: 30 };
/** Time the scaffolder's recovery loop (every 10 s) gets after its timeout. */
const RECOVERY_MARGIN_MS = 30_000;

function duration(config: Config, key: string): HumanDuration | undefined {
  return config.has(key) ? readDurationFromConfig(config, { key }) : undefined;
}

/**
 * How long a processing task may go without a heartbeat (the scaffolder's
 * workers send one every second) before the sync takes its worker for gone:
 * `selfService.statusSync.staleAfter`, 1 minute by default. With the
 * scaffolder's task recovery on, a stale task is the scaffolder's to take up
 * again first, so the limit is at least its stale timeout plus 30 seconds.
 * @internal
 */
export function readStaleAfterMs(config?: Config): number {
  const own = durationToMilliseconds(
    (config && duration(config, 'selfService.statusSync.staleAfter')) ??
      DEFAULT_STALE_AFTER,
  );
  const recovery =
    config?.getOptionalBoolean('scaffolder.taskRecovery.enabled') ??
    config?.getOptionalBoolean('scaffolder.EXPERIMENTAL_recoverTasks') ??
    false;
  if (!recovery || !config) return own;
  const recoveryTimeout =
    duration(config, 'scaffolder.taskRecovery.staleTimeout') ??
    duration(config, 'scaffolder.EXPERIMENTAL_recoverTasksTimeout') ??
    SCAFFOLDER_RECOVERY_TIMEOUT;
  return Math.max(
    own,
    durationToMilliseconds(recoveryTimeout) + RECOVERY_MARGIN_MS,
  );
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A state lock an interrupted run left, for the request's reason. */
async function describeLock(lockFile: string): Promise<string | undefined> {
  const lock = await readStateLock(lockFile);
  if (!lock) return undefined;
  return (
    `Terraform state lock left behind: ${lockFile}${lock.details.length ? ` (${lock.details.join(', ')})` : ''}; ` +
    `the state may be partly written: inspect it, then \`terraform force-unlock ${lock.id ?? '<ID>'}\``
  );
}

/**
 * Reads task status from the scaffolder API as the plugin itself, and the
 * run records Terraform commands leave in the tasks' working directories
 * (`selfService.terraform.workingDirectoryRoot`; on this host only).
 * @internal
 */
export class ScaffolderTaskStatusSource implements TaskStatusSource {
  readonly #staleAfterMs: number;
  readonly #workRoot: string | undefined;

  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
      fetch?: typeof fetch;
      /** The root config: the stale limit and the working directories. */
      config?: Config;
      now?: () => number;
    },
  ) {
    this.#staleAfterMs = readStaleAfterMs(options.config);
    const root = options.config?.getOptionalString(
      'selfService.terraform.workingDirectoryRoot',
    );
    this.#workRoot = root ? resolve(root) : undefined;
  }

  async getTask(taskId: string): Promise<TaskSnapshot | undefined> {
    const { auth, discovery } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const response = await (this.options.fetch ?? fetch)(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const task = (await response.json()) as {
      status: ScaffolderTaskStatus;
      lastHeartbeatAt?: string;
    };
    const beat = task.lastHeartbeatAt ? Date.parse(task.lastHeartbeatAt) : NaN;
    const now = this.options.now?.() ?? Date.now();
    return {
      status: task.status,
      ...(task.lastHeartbeatAt
        ? { lastHeartbeatAt: task.lastHeartbeatAt }
        : {}),
      stalled:
        task.status === 'processing' &&
        Number.isFinite(beat) &&
        now - beat > this.#staleAfterMs,
    };
  }

  async describeRun(taskId: string): Promise<TerraformRunInfo | undefined> {
    if (!this.#workRoot) return undefined;
    // As the actions name it: <root>/<task id>/<sub directory, "terraform" by default>.
    const taskDir = join(this.#workRoot, taskId.replace(/[^\w.-]/g, '_'));
    let entries;
    try {
      entries = await fs.readdir(taskDir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      let record: Partial<RunRecord>;
      try {
        record = JSON.parse(
          await fs.readFile(join(taskDir, entry.name, RUN_RECORD_FILE), 'utf8'),
        );
      } catch {
        continue;
      }
      if (record.backendPid === process.pid && isAlive(record.pid)) {
        return { running: true };
      }
      const lock =
        record.stateLockFile && (await describeLock(record.stateLockFile));
      const parts = [
        `${record.label ?? 'a Terraform command'} (pid ${record.pid}, started ${record.startedAt}) was interrupted: its backend (pid ${record.backendPid}) stopped while it ran`,
      ];
      if (lock) parts.push(lock);
      else if (record.stateLockFile) parts.push('it left no state lock');
      else
        parts.push(
          'check the state backend for a lock it may have left (terraform force-unlock)',
        );
      return { running: false, report: parts.join('; ') };
    }
    return undefined;
  }
}
