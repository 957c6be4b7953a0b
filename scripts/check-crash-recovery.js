#!/usr/bin/env node
/*
 * Crash recovery, end to end (issue #15): starts the backend as `npm start`
 * does (its own port, SQLite directory and Terraform directories), starts an
 * auto-approved dev request whose apply hangs (the recorded runner with
 * TF_STANDIN_APPLY_DELAY_MS), kills the backend process with SIGKILL while it
 * applies, and checks that
 *   - the Terraform process does not outlive the backend (the watchdog ends it),
 *   - after a restart on the same data the request leaves `applying` within
 *     2 minutes of the kill, failed with a reason naming the interrupted run,
 *   - the team's usage holds nothing for it (the reservation is released).
 * Prints the measured times. Exit 0 when all hold.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const PORT = 7207;
const BASE = `http://localhost:${PORT}`;
process.env.E2E_BACKEND_URL = BASE;
const { api, eventually } = require('../e2e/lib/api');
const { waitFor } = require('../e2e/lib/env');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-crash-'));
const workDir = path.join(dataDir, 'terraform-work');
const overlay = path.join(dataDir, 'crash.yaml');
fs.writeFileSync(
  overlay,
  JSON.stringify({
    selfService: {
      terraform: {
        binary: path.join(
          root,
          'plugins/scaffolder-backend-module-self-service/bin/terraform-standin.js',
        ),
        environment: {
          TF_STANDIN_SCENARIO: 'create',
          // The apply waits this long before doing anything: time to kill.
          TF_STANDIN_APPLY_DELAY_MS: '600000',
        },
        workingDirectoryRoot: workDir,
        stateDirectory: path.join(dataDir, 'terraform-state'),
      },
    },
  }),
);
const logFile = path.join(root, 'e2e', 'artifacts', 'crash-recovery.log');
fs.mkdirSync(path.dirname(logFile), { recursive: true });
const log = fs.openSync(logFile, 'w');

function startBackend(label) {
  fs.writeSync(log, `\n==== ${label} ====\n`);
  return spawn(
    'npx',
    ['backstage-cli', 'package', 'start', '--config', '../../app-config.yaml', '--config', overlay],
    {
      cwd: path.join(root, 'packages/backend'),
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        SELF_SERVICE_SQLITE_DIR: path.join(dataDir, 'sqlite'),
        APP_CONFIG_backend_listen_port: String(PORT),
        APP_CONFIG_backend_baseUrl: BASE,
      },
    },
  );
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** The run record of the task's running Terraform command. */
function runRecord(taskId) {
  const file = path.join(workDir, taskId.replace(/[^\w.-]/g, '_'), 'terraform', '.self-service-run.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function ready() {
  if (!(await waitFor(`${BASE}/.backstage/health/v1/readiness`, 180000))) {
    throw new Error('the backend did not become ready within 3 minutes');
  }
  // The catalog reads the example org and templates after start-up; until
  // then `dev` cannot sign in.
  await eventually(async () => {
    try {
      const res = await api('dev', 'GET', '/api/catalog/entities/by-name/template/default/postgres-database');
      return res.status === 200;
    } catch {
      return false;
    }
  }, 90000);
}

async function main() {
  let backend = startBackend('first start');
  let status = 1;
  try {
    await ready();
    const team = 'group:default/team-a';
    const usagePath = `/api/self-service/teams/${encodeURIComponent(team)}/usage`;
    const before = (await api('dev', 'GET', usagePath)).body;

    const started = await api('dev', 'POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/postgres-database',
      values: {
        name: 'crash-db',
        team,
        instance_size: 'small',
        storage_gb: 20,
        backup_enabled: true,
        environment: 'dev',
        justification: 'crash recovery check',
      },
    });
    if (started.status !== 201) throw new Error(`starting the task: ${started.status} ${JSON.stringify(started.body)}`);
    const taskId = started.body.id;

    const record = await eventually(() => {
      const r = runRecord(taskId);
      return r && /apply/.test(r.label ?? '') ? r : undefined;
    }, 90000, 250);
    const list = await api('dev', 'GET', '/api/self-service/requests?mine=true&limit=20');
    const request = list.body.items.find(r => r.taskIds.includes(taskId));
    if (!request || request.state !== 'applying') {
      throw new Error(`expected the request applying, got ${request?.state}`);
    }
    const during = (await api('dev', 'GET', usagePath)).body;

    // The crash: SIGKILL to the backend process itself (not its CLI parent).
    const killedAt = Date.now();
    process.kill(record.backendPid, 'SIGKILL');
    console.log(`crash-recovery: killed backend pid ${record.backendPid} during "${record.label}" (terraform pid ${record.pid})`);
    await eventually(() => !alive(record.pid), 30000, 200);
    const terraformGoneMs = Date.now() - killedAt;
    console.log(`crash-recovery: the Terraform process was gone ${terraformGoneMs} ms after the kill`);
    stopGroup(backend);
    await eventually(async () => !(await waitFor(`${BASE}/.backstage/health/v1/readiness`, 500, { quiet: true })), 30000, 500);

    backend = startBackend('restart');
    await ready();
    const restartedMs = Date.now() - killedAt;
    const settled = await eventually(async () => {
      const r = await api('dev', 'GET', `/api/self-service/requests/${request.id}`);
      return r.body.state !== 'applying' ? r.body : undefined;
    }, 150000, 1000);
    const settledMs = Date.now() - killedAt;
    const after = (await api('dev', 'GET', usagePath)).body;
    console.log(
      `crash-recovery: restarted after ${restartedMs} ms; request ${settled.state} ${settledMs} ms after the kill: ${settled.stateReason}`,
    );
    console.log(
      `crash-recovery: usage reserved ${before.budget.reserved} before, ${during.budget.reserved} while applying, ${after.budget.reserved} after; live resources ${before.quota.live} → ${after.quota.live}`,
    );
    const problems = [];
    if (settledMs > 120000) problems.push(`the request left applying only after ${settledMs} ms (> 2 min)`);
    if (settled.state !== 'failed') problems.push(`the request is ${settled.state}, not failed`);
    if (!/stopped running|interrupted/.test(settled.stateReason ?? '')) problems.push('the reason does not name the interrupted run');
    if (Math.abs(after.budget.reserved - before.budget.reserved) > 1e-6) problems.push('the reservation was not released');
    if (after.quota.live !== before.quota.live) problems.push('live usage changed');
    if (terraformGoneMs > 20000) problems.push('Terraform outlived the backend by more than 20 s');
    if (problems.length) throw new Error(problems.join('; '));
    console.log('crash-recovery: passed');
    status = 0;
  } catch (error) {
    console.error(`crash-recovery: ${error.message}`);
    console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
  } finally {
    stopGroup(backend);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(status);
}

main();
