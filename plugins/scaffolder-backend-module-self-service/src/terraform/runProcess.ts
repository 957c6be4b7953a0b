import type { LoggerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import type { RunRecord } from '@internal/plugin-self-service-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeFailure, type TerraformDiagnostic } from './diagnose';

/** A Terraform command failed, timed out or was cancelled. @public */
export class TerraformCommandError extends CustomErrorBase {
  name = 'TerraformCommandError' as const;

  constructor(message?: string, cause?: Error | unknown) {
    super(message, cause);
    // The scaffolder logs a failed step's stack: Terraform's words are the
    // story, the Node frames that carried them are not.
    this.stack = this.message;
  }
}

export interface RunProcessOptions {
  /** Names the command in logs and errors, e.g. "terraform plan". */
  label: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: LoggerService;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when stopping. */
  killGraceMs: number;
  /** stdout carries Terraform's `-json` UI lines: log their messages. */
  jsonUi?: boolean;
  /** Keep stdout (machine output such as `show -json`) instead of logging it. */
  captureStdout?: boolean;
  /**
   * A file to hold a {@link RunRecord} while the command runs: written once
   * it has started, removed when it has ended. One left behind means the
   * backend stopped while the command ran.
   */
  runRecord?: { file: string; details?: Record<string, unknown> };
}

/**
 * Terraform must not outlive the backend. Commands run in their own process
 * group (so a stop reaches provider plugins too), which also means nothing
 * stops them when the backend dies: a SIGKILL or an OOM kill of the backend
 * runs no exit handler. So one small watchdog per backend process, a POSIX
 * shell in its own process group, holds the groups of the commands running
 * now; it reads them from a pipe whose only writer is the backend. When the
 * backend ends, however it ends, the kernel closes that pipe, the watchdog
 * reads end-of-file, sends SIGTERM to every group still listed (Terraform
 * then stops gracefully and releases its state lock), and SIGKILL after the
 * grace period to what is left. The same on Linux and macOS (only `sh`,
 * `kill` and `sleep`), no polling while the backend lives, and no extra
 * process per command. Lines: `+<pgid> <grace seconds>` watches a group,
 * `-<pgid>` forgets it.
 */
const WATCHDOG_SCRIPT = `trap '' HUP INT
groups=
grace=1
while IFS= read -r line; do
  set -- $line
  case "$1" in
    +*) groups="$groups \${1#+}"
        if [ "\${2:-0}" -gt "$grace" ]; then grace=$2; fi ;;
    -*) kept=
        for g in $groups; do [ "$g" = "\${1#-}" ] || kept="$kept $g"; done
        groups=$kept ;;
  esac
done
[ -n "$groups" ] || exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
waited=0
while [ "$waited" -lt "$grace" ]; do
  alive=
  for g in $groups; do kill -s 0 -- "-$g" 2>/dev/null && alive=1; done
  [ -n "$alive" ] || exit 0
  sleep 1
  waited=$((waited + 1))
done
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
`;

let watchdog: ChildProcess | undefined;

function startWatchdog(): ChildProcess {
  const child = spawn(
    '/bin/sh',
    ['-c', WATCHDOG_SCRIPT, 'self-service-terraform-watchdog'],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  const forget = () => {
    if (watchdog === child) watchdog = undefined;
  };
  child.on('error', forget);
  child.on('exit', forget);
  child.stdin!.on('error', forget);
  // Neither the watchdog nor its pipe keeps the backend (or a test) alive.
  child.unref();
  (child.stdin as unknown as { unref?(): void }).unref?.();
  return child;
}

/** Tells the watchdog about a process group (`+`) or that it ended (`-`). */
function tellWatchdog(line: string): void {
  watchdog ??= startWatchdog();
  if (watchdog.stdin?.writable) watchdog.stdin.write(`${line}\n`);
}

/** The watchdog's pid, for tests. @internal */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}

interface Diagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  range?: { filename?: string; start?: { line?: number } };
}

function describeDiagnostic(d: Diagnostic): string {
  const where = d.range?.filename
    ? ` (${d.range.filename}${d.range.start?.line ? `:${d.range.start.line}` : ''})`
    : '';
  return `${d.summary ?? 'diagnostic'}${d.detail ? `: ${d.detail}` : ''}${where}`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}

/**
 * Runs one CLI command without a shell (argv array), streams its output to the
 * logger line by line, and stops it with SIGTERM then SIGKILL (the whole
 * process group, so provider plugins go too) on timeout or abort, or when
 * the backend itself dies (see the watchdog above).
 */
export function runProcess(
  options: RunProcessOptions,
): Promise<{ stdout: string }> {
  const { label, logger, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(
        new TerraformCommandError(`${label} was cancelled before it started`),
      );
      return;
    }
    const groupKill = process.platform !== 'win32';
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      detached: groupKill,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (groupKill && pid) {
      tellWatchdog(
        `+${pid} ${Math.max(1, Math.ceil(options.killGraceMs / 1000))}`,
      );
    }
    const runRecord = options.runRecord;
    if (runRecord && pid) {
      const record: RunRecord = {
        ...runRecord.details,
        label,
        pid,
        backendPid: process.pid,
        startedAt: new Date().toISOString(),
      };
      try {
        writeFileSync(runRecord.file, JSON.stringify(record));
      } catch (e) {
        logger.debug(`${label}: could not write ${runRecord.file}: ${e}`);
      }
    }

    const errors: TerraformDiagnostic[] = [];
    const stderrTail: string[] = [];
    const stdoutChunks: Buffer[] = [];
    let stopping: 'timeout' | 'cancel' | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const kill = (sig: NodeJS.Signals) => {
      try {
        if (groupKill && child.pid) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const stop = (reason: 'timeout' | 'cancel') => {
      if (stopping) return;
      stopping = reason;
      logger.warn(
        reason === 'timeout'
          ? `${label} timed out after ${formatMs(options.timeoutMs)}; stopping it`
          : `${label} cancelled; stopping it`,
      );
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), options.killGraceMs);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancel');
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (groupKill && pid) tellWatchdog(`-${pid}`);
      if (runRecord && pid) {
        try {
          rmSync(runRecord.file, { force: true });
        } catch {
          // the directory went away meanwhile
        }
      }
    };

    const handleUiLine = (line: string) => {
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (!message || typeof message['@message'] !== 'string') {
        logger.info(line);
        return;
      }
      if (message.type === 'diagnostic' && message.diagnostic) {
        const d: Diagnostic = message.diagnostic;
        const text = describeDiagnostic(d);
        if (d.severity === 'error') {
          errors.push(d);
          logger.error(`Error: ${text}`);
        } else {
          logger.warn(`Warning: ${text}`);
        }
        return;
      }
      const level = message['@level'];
      const text: string = message['@message'];
      if (level === 'error') logger.error(text);
      else if (level === 'warn') logger.warn(text);
      else if (level === 'debug' || level === 'trace') logger.debug(text);
      else logger.info(text);
    };

    if (options.captureStdout) {
      child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
    } else {
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on(
        'line',
        line => {
          if (!line.trim()) return;
          if (options.jsonUi) handleUiLine(line);
          else logger.info(line);
        },
      );
    }
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on(
      'line',
      line => {
        // Blank lines too: they separate Terraform's errors and paragraphs.
        stderrTail.push(line);
        if (stderrTail.length > 200) stderrTail.shift();
        if (line.trim()) logger.warn(line);
      },
    );

    child.on('error', err => {
      cleanup();
      reject(
        new TerraformCommandError(
          `${label}: could not start ${options.command}: ${err.message}`,
        ),
      );
    });
    child.on('close', code => {
      cleanup();
      if (stopping === 'timeout') {
        reject(
          new TerraformCommandError(
            `${label} timed out after ${formatMs(options.timeoutMs)}`,
          ),
        );
      } else if (stopping === 'cancel') {
        reject(new TerraformCommandError(`${label} was cancelled`));
      } else if (code !== 0) {
        reject(
          new TerraformCommandError(
            describeFailure({
              label,
              exitCode: code,
              diagnostics: errors,
              output: stderrTail,
            }),
          ),
        );
      } else {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8') });
      }
    });
  });
}
