import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalTerraformRunner } from '../terraform/LocalTerraformRunner';
import type { TerraformConfig } from '../config';

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');
export const STANDIN = resolve(PACKAGE_ROOT, 'bin', 'terraform-standin.js');
export const FIXTURES = resolve(PACKAGE_ROOT, 'fixtures');

/** A template location as the scaffolder gives it: the file URL of template.yaml. */
export function templateInfo(name: 'postgres' | 'terraform-data') {
  return {
    entityRef: 'template:default/postgres-database',
    baseUrl: pathToFileURL(
      resolve(FIXTURES, 'templates', name, 'template.yaml'),
    ).href,
  };
}

export function terraformConfig(
  root: string,
  overrides: Partial<TerraformConfig> = {},
): TerraformConfig {
  return {
    binary: STANDIN,
    stateDirectory: resolve(root, 'state'),
    timeoutMs: 20_000,
    killGraceMs: 500,
    environment: {},
    inheritEnvironment: ['PATH', 'HOME'],
    ...overrides,
  };
}

/** The local CLI runner pointed at the stand-in, replaying `scenario`. */
export function standinRunner(options: {
  scenario?: string;
  record: string;
  timeoutMs?: number;
  killGraceMs?: number;
}) {
  return new LocalTerraformRunner({
    binary: STANDIN,
    timeoutMs: options.timeoutMs ?? 20_000,
    killGraceMs: options.killGraceMs ?? 500,
    environment: {
      TF_STANDIN_SCENARIO: options.scenario ?? 'create',
      TF_STANDIN_RECORD: options.record,
    },
    inheritEnvironment: ['PATH', 'HOME'],
  });
}

export interface StandinCall {
  argv: string[];
  cwd: string;
  scenario: string;
  tfvars: Record<string, unknown>;
  backendOverride?: unknown;
  env: Record<string, string>;
  signal?: string;
}

export async function readCalls(record: string): Promise<StandinCall[]> {
  try {
    const text = await fs.readFile(record, 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line));
  } catch {
    return [];
  }
}
