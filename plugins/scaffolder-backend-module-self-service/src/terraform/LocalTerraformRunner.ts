import type {
  TerraformOutputsJson,
  TerraformPlanJson,
  TerraformRunContext,
  TerraformRunner,
} from '@internal/plugin-self-service-node';
import { resolve } from 'node:path';
import type { TerraformConfig } from '../config';
import { runProcess, TerraformCommandError } from './runProcess';

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

  #run(
    context: TerraformRunContext,
    subcommand: string,
    args: string[],
    mode: { jsonUi?: boolean; captureStdout?: boolean } = {},
  ) {
    return runProcess({
      label: `terraform ${subcommand}`,
      command: this.#binary(),
      args: [subcommand, ...args],
      cwd: context.workingDirectory,
      env: this.#env(),
      logger: context.logger,
      signal: context.signal,
      timeoutMs: this.#options.timeoutMs,
      killGraceMs: this.#options.killGraceMs,
      ...mode,
    });
  }

  async init(
    context: TerraformRunContext,
    options: { backendConfig: Record<string, string> },
  ) {
    const backendArgs = Object.entries(options.backendConfig).map(
      ([key, value]) => `-backend-config=${key}=${value}`,
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
