import type { LoggerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Terraform command failed, timed out or was cancelled. @public */
export class TerraformCommandError extends CustomErrorBase {
  name = 'TerraformCommandError' as const;
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
 * process group, so provider plugins go too) on timeout or abort.
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

    const errors: string[] = [];
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
          errors.push(text);
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
        if (!line.trim()) return;
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        logger.warn(line);
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
        const why = errors.length
          ? errors.join('; ')
          : stderrTail.slice(-5).join('\n');
        reject(
          new TerraformCommandError(
            `${label} failed with exit code ${code}${why ? `: ${why}` : ''}`,
          ),
        );
      } else {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8') });
      }
    });
  });
}
