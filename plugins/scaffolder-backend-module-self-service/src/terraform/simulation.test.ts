import { mockServices } from '@backstage/backend-test-utils';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TerraformConfig } from '../config';
import {
  findBinary,
  isSimulated,
  markSimulated,
  RECORDED_RUNNER,
  resolveTerraform,
} from './simulation';

const base: TerraformConfig = {
  binary: 'terraform',
  stateDirectory: '/tmp/state',
  timeoutMs: 1000,
  killGraceMs: 100,
  environment: {},
  inheritEnvironment: [],
};

function pathWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tf-path-'));
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('resolveTerraform', () => {
  const logger = mockServices.logger.mock();
  beforeEach(() => jest.clearAllMocks());

  it('keeps the real binary when it is on PATH, whatever the mode', () => {
    const path = pathWith('terraform');
    for (const simulate of [undefined, 'never', 'when-missing'] as const) {
      expect(resolveTerraform({ ...base, simulate }, logger, path)).toEqual({ ...base, simulate });
    }
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('falls back to OpenTofu before simulating', () => {
    const path = pathWith('tofu');
    const out = resolveTerraform({ ...base, simulate: 'when-missing' }, logger, path);
    expect(out.binary).toBe(join(path, 'tofu'));
    expect(out.simulated).toBeUndefined();
  });

  it('says so once, in plain words, and simulates when nothing is installed', () => {
    const out = resolveTerraform({ ...base, simulate: 'when-missing' }, logger, pathWith());
    expect(out).toMatchObject({ binary: RECORDED_RUNNER, simulated: true });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(/SIMULATED.*nothing is provisioned.*Install Terraform/);
  });

  it('never simulates unless configured to', () => {
    expect(resolveTerraform(base, logger, pathWith())).toEqual(base);
  });

  it('always simulates when told to', () => {
    const out = resolveTerraform({ ...base, simulate: 'always' }, logger, pathWith('terraform'));
    expect(out).toMatchObject({ binary: RECORDED_RUNNER, simulated: true });
  });

  it('counts a configured recorded runner as simulated', () => {
    expect(resolveTerraform({ ...base, binary: RECORDED_RUNNER }, logger, '')).toMatchObject({ simulated: true });
  });

  it('finds the recorded runner, which is executable', () => {
    expect(findBinary(RECORDED_RUNNER)).toBe(RECORDED_RUNNER);
  });
});

describe('markSimulated', () => {
  it("replays the template's own recording, and labels the directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-sim-'));
    expect(await isSimulated(dir)).toBe(false);
    expect(await markSimulated(dir, 'template:default/message-queue', { environment: {} })).toBe(
      'simulated-message-queue',
    );
    expect(await isSimulated(dir)).toBe(true);
    expect(await markSimulated(dir, 'template:default/unknown', { environment: {} })).toBe('create');
    expect(
      await markSimulated(dir, 'template:default/message-queue', { environment: { TF_STANDIN_SCENARIO: 'noop' } }),
    ).toBe('noop');
  });
});
