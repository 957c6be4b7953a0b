#!/usr/bin/env node
/*
 * Browser tests: starts the app the way `npm start` does (backend + frontend
 * dev server) on a fresh SQLite directory, waits for readiness, runs the
 * node:test files in e2e/tests with playwright-core driving Debian's
 * Chromium, then stops everything. Screenshots go to e2e/artifacts/.
 *
 * Without Chromium the tests are skipped with a message, unless CI=true, in
 * which case that is a failure.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromiumPath, waitFor } = require('./lib/env');

const root = path.resolve(__dirname, '..');
/** The browser tests a real-terraform run repeats: the core loop and the tear-down. */
const REAL_TESTS = ['00-', '03-approval-flow', '06-destroy'];

async function main() {
  const browser = chromiumPath();
  if (!browser) {
    const msg =
      'e2e: no Chromium found (install Debian package "chromium" or set CHROMIUM_PATH)';
    if (process.env.CI === 'true') {
      console.error(`${msg}; failing because CI=true`);
      process.exit(1);
    }
    console.warn(`${msg}; SKIPPING browser tests`);
    return;
  }
  for (const port of [3000, 7007]) {
    if (await waitFor(`http://localhost:${port}/`, 1000, { quiet: true })) {
      console.error(
        `e2e: port ${port} is already in use (is \`npm start\` running?); stop it first`,
      );
      process.exit(1);
    }
  }

  // E2E_TERRAFORM=real: the same app with the real terraform from PATH on the
  // local target (module-local/: nothing leaves the machine), for the core
  // loop only. Skipped, saying so, when no terraform is installed.
  const real = process.env.E2E_TERRAFORM === 'real';
  if (real && spawnSync('terraform', ['version'], { stdio: 'ignore' }).status !== 0) {
    console.warn('e2e (real terraform): no terraform on PATH; SKIPPED');
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-e2e-'));
  const logFile = path.join(__dirname, 'artifacts', 'app.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  console.log(`e2e: starting backend and frontend (log: ${path.relative(root, logFile)})`);
  const app = spawn(
    'npx',
    [
      'backstage-cli',
      'repo',
      'start',
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      path.join(__dirname, 'app-config.e2e.yaml'),
    ],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        SELF_SERVICE_SQLITE_DIR: path.join(dataDir, 'sqlite'),
        SELF_SERVICE_E2E_DATA: dataDir,
        SELF_SERVICE_E2E_TERRAFORM: real
          ? 'terraform'
          : path.join(
              root,
              'plugins/scaffolder-backend-module-self-service/bin/terraform-standin.js',
            ),
        // Where the local target's modules provision (real runs).
        TF_VAR_local_root: path.join(dataDir, 'local-target'),
        BROWSER: 'none',
      },
    },
  );
  const stop = () => {
    try {
      process.kill(-app.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  let status = 1;
  try {
    const ready =
      (await waitFor('http://localhost:7007/.backstage/health/v1/readiness', 240000)) &&
      (await waitFor('http://localhost:3000/', 240000));
    if (!ready) {
      throw new Error('backend or frontend did not become ready within 4 minutes');
    }
    const files = fs
      .readdirSync(path.join(__dirname, 'tests'))
      .filter(f => f.endsWith('.test.js'))
      .filter(f => !real || REAL_TESTS.some(prefix => f.startsWith(prefix)))
      // E2E_ONLY=07 runs the files whose names start with it (while working on them).
      .filter(f => !process.env.E2E_ONLY || f.startsWith(process.env.E2E_ONLY))
      .sort()
      .map(f => path.join(__dirname, 'tests', f));
    const result = spawnSync(
      process.execPath,
      ['--test', '--test-concurrency=1', ...files],
      { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: browser } },
    );
    status = result.status ?? 1;
  } catch (error) {
    console.error(`e2e: ${error.message}`);
    console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n'));
  } finally {
    stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(status);
}

main();
