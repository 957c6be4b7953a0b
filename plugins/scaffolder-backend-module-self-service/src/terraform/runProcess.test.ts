import { createMockDirectory } from '@backstage/backend-test-utils';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { captureLogger } from '../__testUtils__/fakes';
import { runProcess } from './runProcess';

jest.setTimeout(30_000);

/** Running (a zombie nobody reaped yet counts as gone). */
const alive = (pid: number) => {
  const ps = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], {
    encoding: 'utf8',
  });
  const stat = ps.stdout.trim();
  return ps.status === 0 && stat !== '' && !stat.startsWith('Z');
};

async function waitUntil(
  what: string,
  probe: () => boolean,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** A command that runs until it is signalled, in its own process group. */
const SLEEPER = ['-e', 'setInterval(() => {}, 1000)'];

// Process groups and the watchdog are POSIX-only.
const describePosix = process.platform === 'win32' ? describe.skip : describe;

describePosix('runProcess and the backend going away', () => {
  const dir = createMockDirectory();

  beforeEach(() => dir.clear());

  it('keeps a run record while the command runs and removes it after', async () => {
    const file = dir.resolve('run.json');
    const controller = new AbortController();
    const running = runProcess({
      label: 'terraform apply',
      command: process.execPath,
      args: SLEEPER,
      cwd: dir.path,
      env: { PATH: process.env.PATH },
      logger: captureLogger(),
      signal: controller.signal,
      timeoutMs: 20_000,
      killGraceMs: 500,
      runRecord: { file, details: { stateLockFile: '/state/lock' } },
    });
    const record = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(record).toEqual({
      label: 'terraform apply',
      pid: expect.any(Number),
      backendPid: process.pid,
      startedAt: expect.any(String),
      stateLockFile: '/state/lock',
    });
    expect(alive(record.pid)).toBe(true);
    controller.abort();
    await expect(running).rejects.toThrow('terraform apply was cancelled');
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('stops the command when its backend is killed with SIGKILL', async () => {
    // A stand-in backend: loads runProcess (TypeScript, through the
    // CLI's transform) and runs a command that never ends by itself.
    const script = join(dir.path, 'backend.js');
    await fs.writeFile(
      script,
      `require(${JSON.stringify(require.resolve('@backstage/cli-node/config/nodeTransform.cjs'))});
const { runProcess } = require(${JSON.stringify(join(__dirname, 'runProcess.ts'))});
const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
runProcess({
  label: 'terraform apply',
  command: process.execPath,
  args: ${JSON.stringify(SLEEPER)},
  cwd: ${JSON.stringify(dir.path)},
  env: { PATH: process.env.PATH },
  logger,
  timeoutMs: 60000,
  killGraceMs: 1000,
  runRecord: { file: ${JSON.stringify(dir.resolve('run.json'))} },
}).catch(() => {});
`,
    );
    const backend = spawn(process.execPath, [script], { stdio: 'ignore' });
    try {
      await waitUntil(
        'the command to start',
        () => existsSync(dir.resolve('run.json')),
        15_000,
      );
      const { pid } = JSON.parse(
        await fs.readFile(dir.resolve('run.json'), 'utf8'),
      );
      expect(alive(pid)).toBe(true);

      backend.kill('SIGKILL');
      // The watchdog sends SIGTERM at once; the grace is 1 s.
      await waitUntil('the command to die', () => !alive(pid), 5_000);
      // The record stays: the run was interrupted.
      expect(
        JSON.parse(await fs.readFile(dir.resolve('run.json'), 'utf8')),
      ).toMatchObject({ pid, backendPid: backend.pid });
    } finally {
      backend.kill('SIGKILL');
    }
  });
});
