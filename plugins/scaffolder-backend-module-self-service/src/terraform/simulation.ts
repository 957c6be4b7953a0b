import {
  type LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { accessSync, constants, promises as fs } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import type { TerraformConfig } from '../config';

const PACKAGE = '@internal/plugin-scaffolder-backend-module-self-service';

/**
 * The recorded runner: the stand-in executable that replays Terraform's
 * documented outputs (see its header). Nothing it "applies" exists.
 */
export const RECORDED_RUNNER = resolvePackagePath(
  PACKAGE,
  'bin/terraform-standin.js',
);

/** `selfService.terraform.simulate`. @public */
export type SimulateMode = 'never' | 'when-missing' | 'always';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `binary` (a name looked up on PATH, or a path) can be run. */
export function findBinary(
  binary: string,
  path = process.env.PATH ?? '',
): string | undefined {
  if (binary.includes('/') || isAbsolute(binary)) {
    return executable(binary) ? binary : undefined;
  }
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Decides, once at start-up, whether Terraform runs for real. With
 * `simulate: when-missing` (what `npm start` configures) and neither the
 * configured binary nor `tofu` on PATH, it says so in plain words and runs
 * the recorded runner instead; every plan is then marked simulated, and the
 * pages say so. `always` simulates (the browser tests); `never`, the
 * default, keeps the configured binary and lets a run fail if it is missing.
 */
export function resolveTerraform(
  config: TerraformConfig,
  logger: Pick<LoggerService, 'warn' | 'info'>,
  path?: string,
): TerraformConfig {
  const mode = config.simulate ?? 'never';
  const simulated = (): TerraformConfig => ({
    ...config,
    binary: RECORDED_RUNNER,
    simulated: true,
  });
  if (mode === 'always') {
    logger.warn(
      'Terraform runs are SIMULATED (selfService.terraform.simulate: always): the recorded runner replays Terraform outputs, nothing is provisioned, and every request says so.',
    );
    return simulated();
  }
  if (config.simulated) return config;
  if (basename(config.binary) === basename(RECORDED_RUNNER)) {
    // Configured explicitly (the browser and flow tests): still simulated.
    return { ...config, simulated: true };
  }
  if (findBinary(config.binary, path)) return config;
  if (mode === 'when-missing') {
    const tofu = config.binary === 'terraform' && findBinary('tofu', path);
    if (tofu) {
      logger.info(`No terraform on PATH; using OpenTofu at ${tofu}`);
      return { ...config, binary: tofu };
    }
    logger.warn(
      `No Terraform here: neither "${config.binary}" nor "tofu" is on PATH. Requests will be SIMULATED: plans and applies are replayed from recorded Terraform outputs and nothing is provisioned; every request and resource is labelled "simulated". Install Terraform 1.4 or newer (or OpenTofu) and restart to provision for real.`,
    );
    return simulated();
  }
  return config;
}

/** Marks a working directory whose Terraform commands are simulated. */
const SIMULATED_MARKER = '.self-service-simulated';

/**
 * Under simulation, marks the working directory (so its plans are labelled)
 * and picks what the recorded runner replays there: the scenario the
 * configuration names (TF_STANDIN_SCENARIO), else `simulated-<template
 * name>` when recordings of that template's local module exist, else the
 * recorded PostgreSQL plan. The choice goes into `.standin-scenario`, which
 * the runner reads.
 */
export async function markSimulated(
  directory: string,
  templateRef: string,
  config: Pick<TerraformConfig, 'environment'>,
  fixturesRoot = resolvePackagePath(PACKAGE, 'fixtures/standin'),
): Promise<string> {
  const name = templateRef.replace(/^[^:]*:(?:[^/]*\/)?/, '');
  const recorded = `simulated-${name}`;
  const configured = config.environment.TF_STANDIN_SCENARIO;
  const scenario =
    (configured !== 'auto' && configured) ||
    ((await fs.stat(join(fixturesRoot, recorded)).catch(() => undefined))
      ? recorded
      : 'create');
  await fs.writeFile(join(directory, '.standin-scenario'), `${scenario}\n`);
  await fs.writeFile(join(directory, SIMULATED_MARKER), `${scenario}\n`);
  return scenario;
}

/** Whether the working directory's Terraform commands are simulated. */
export async function isSimulated(directory: string): Promise<boolean> {
  return fs
    .access(join(directory, SIMULATED_MARKER))
    .then(() => true)
    .catch(() => false);
}
