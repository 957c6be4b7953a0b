import {
  readStateLock,
  RUN_RECORD_FILE,
  type TerraformOutputsJson,
  type TerraformPlanJson,
  type TerraformRunContext,
  type TerraformRunner,
} from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { TerraformConfig } from '../config';
import { runProcess, TerraformCommandError } from './runProcess';

/** Written by init: where the local backend keeps this directory's state lock. */
const STATE_FILE = '.self-service-state.json';

/**
 * The lock info file Terraform's local backend writes beside the state
 * (`.terraform.tfstate.lock.info` for `terraform.tfstate`) while a command
 * holds the lock, and removes when it releases it. Left behind, a run was
 * interrupted mid-command.
 * @public
 */
export function localStateLockFile(statePath: string): string {
  return join(dirname(statePath), `.${basename(statePath)}.lock.info`);
}

/**
 * Describes a state lock file left behind, or undefined when there is none.
 * Terraform's lock info is JSON: ID, Operation, Who, Created, ...
 * @public
 */
export async function describeStateLock(
  lockFile: string,
): Promise<string | undefined> {
  const lock = await readStateLock(lockFile);
  if (!lock) return undefined;
  return (
    `Terraform state lock left behind: ${lockFile}${lock.details.length ? ` (${lock.details.join(', ')})` : ''}. ` +
    `The run that took it was interrupted, so the state may be partly written: inspect it, ` +
    `then remove the lock (\`terraform force-unlock ${lock.id ?? '<ID>'}\`) before another run`
  );
}

/** @public */
export interface LocalTerraformRunnerOptions {
  /** `terraform`, `tofu`, or a path to either. */
  binary: string;
  /** Per command. */
  timeoutMs: number;
  killGraceMs: number;
  /** Extra environment variables for the CLI. */
  environment?: Record<string, string>;
  /** Backend environment variables passed on: names or `PREFIX_*` patterns. */
  inheritEnvironment?: string[];
}

function inherited(patterns: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const match = patterns.some(p =>
      p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p,
    );
    if (match) env[name] = value;
  }
  return env;
}

/**
 * Runs the Terraform (or OpenTofu) CLI installed on the backend host, in the
 * action's working directory. Variables never appear on the command line:
 * they are in the generated `self-service.auto.tfvars.json` that Terraform
 * loads by itself.
 * @public
 */
export class LocalTerraformRunner implements TerraformRunner {
  readonly #options: LocalTerraformRunnerOptions;

  static fromConfig(config: TerraformConfig): LocalTerraformRunner {
    return new LocalTerraformRunner(config);
  }

  constructor(options: LocalTerraformRunnerOptions) {
    this.#options = options;
  }

  #binary(): string {
    const { binary } = this.#options;
    return binary.includes('/') ? resolve(binary) : binary;
  }

  #env(): NodeJS.ProcessEnv {
    // Only an allow-list of the backend's environment reaches the CLI: the
    // backend's own secrets (database passwords, tokens) stay out of modules.
    return {
      ...inherited(
        this.#options.inheritEnvironment ?? ['PATH', 'HOME', 'TMPDIR', 'TF_*'],
      ),
      ...this.#options.environment,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };
  }

  /** The local backend's lock file for this directory, as init recorded it. */
  async #stateLockFile(workingDirectory: string): Promise<string | undefined> {
    try {
      const { lockFile } = JSON.parse(
        await fs.readFile(join(workingDirectory, STATE_FILE), 'utf8'),
      );
      return typeof lockFile === 'string' ? lockFile : undefined;
    } catch {
      return undefined;
    }
  }

  async #run(
    context: TerraformRunContext,
    subcommand: string,
    args: string[],
    mode: { jsonUi?: boolean; captureStdout?: boolean } = {},
  ) {
    const label = `terraform ${subcommand}`;
    const lockFile = await this.#stateLockFile(context.workingDirectory);
    // A lock nobody released: an earlier run on this state was interrupted.
    const leftover = lockFile && (await describeStateLock(lockFile));
    if (leftover) context.logger.warn(`Before ${label}: ${leftover}`);
    try {
      return await runProcess({
        label,
        command: this.#binary(),
        args: [subcommand, ...args],
        cwd: context.workingDirectory,
        env: this.#env(),
        logger: context.logger,
        signal: context.signal,
        timeoutMs: this.#options.timeoutMs,
        killGraceMs: this.#options.killGraceMs,
        runRecord: {
          file: join(context.workingDirectory, RUN_RECORD_FILE),
          details: lockFile ? { stateLockFile: lockFile } : {},
        },
        ...mode,
      });
    } catch (error) {
      // A stopped (or crashed) command can leave the lock it held.
      const left = !leftover && lockFile && (await describeStateLock(lockFile));
      if (left && error instanceof TerraformCommandError) {
        context.logger.error(left);
        throw new TerraformCommandError(`${error.message}. ${left}`, error);
      }
      throw error;
    }
  }

  async init(
    context: TerraformRunContext,
    options: { backendConfig: Record<string, string> },
  ) {
    const backendArgs = Object.entries(options.backendConfig).map(
      ([key, value]) => `-backend-config=${key}=${value}`,
    );
    const statePath = options.backendConfig.path;
    await fs.writeFile(
      join(context.workingDirectory, STATE_FILE),
      JSON.stringify(
        statePath ? { lockFile: localStateLockFile(resolve(statePath)) } : {},
      ),
    );
    await this.#run(context, 'init', [
      '-input=false',
      '-no-color',
      ...backendArgs,
    ]);
  }

  async plan(
    context: TerraformRunContext,
    options: { planFile: string; destroy?: boolean },
  ) {
    await this.#run(
      context,
      'plan',
      [
        '-input=false',
        '-no-color',
        '-json',
        `-out=${options.planFile}`,
        ...(options.destroy ? ['-destroy'] : []),
      ],
      { jsonUi: true },
    );
  }

  async show(
    context: TerraformRunContext,
    options: { planFile: string },
  ): Promise<TerraformPlanJson> {
    const { stdout } = await this.#run(
      context,
      'show',
      ['-json', '-no-color', options.planFile],
      {
        captureStdout: true,
      },
    );
    return parseJson(stdout, 'terraform show -json') as TerraformPlanJson;
  }

  async apply(context: TerraformRunContext, options: { planFile: string }) {
    await this.#run(
      context,
      'apply',
      ['-input=false', '-no-color', '-json', options.planFile],
      {
        jsonUi: true,
      },
    );
  }

  async output(context: TerraformRunContext): Promise<TerraformOutputsJson> {
    const { stdout } = await this.#run(
      context,
      'output',
      ['-json', '-no-color'],
      {
        captureStdout: true,
      },
    );
    return parseJson(stdout, 'terraform output -json') as TerraformOutputsJson;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Never quote the text: it can hold sensitive values.
    throw new TerraformCommandError(
      `${what} printed invalid JSON (${text.length} bytes)`,
      e,
    );
  }
}
