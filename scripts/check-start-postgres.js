#!/usr/bin/env node
/*
 * Checks the README's PostgreSQL command: `npm run start:postgres` (here for
 * the backend package only) starts on PostgreSQL and answers readiness and
 * the self-service health check. It runs on port 7107 with its own database
 * prefix, so it neither collides with `npm start` nor leaves data in the
 * databases a developer uses.
 *
 * Needs PostgreSQL on POSTGRES_HOST (127.0.0.1) as POSTGRES_USER (postgres);
 * `.ci/run` provides it. Without one it fails when CI=true and skips otherwise.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { waitFor } = require('../e2e/lib/env');

const root = path.resolve(__dirname, '..');
const PORT = 7107;
const PREFIX = `self_service_start_check_${process.pid}_`;

function postgresReachable() {
  const probe = spawnSync('pg_isready', ['-q', '-h', process.env.POSTGRES_HOST || '127.0.0.1'], {
    stdio: 'ignore',
  });
  return probe.status === 0;
}

function dropDatabases() {
  const psql = (sql) =>
    spawnSync('psql', ['-h', process.env.POSTGRES_HOST || '127.0.0.1', '-U', process.env.POSTGRES_USER || 'postgres', '-Atc', sql], {
      encoding: 'utf8',
    });
  const list = psql(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
  for (const name of (list.stdout || '').split('\n').filter(Boolean)) {
    psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function main() {
  if (!postgresReachable()) {
    const msg = 'start-postgres: no PostgreSQL on 127.0.0.1:5432';
    if (process.env.CI === 'true') {
      console.error(`${msg}; failing because CI=true`);
      process.exit(1);
    }
    console.warn(`${msg}; SKIPPING`);
    return;
  }
  const logFile = path.join(root, 'e2e', 'artifacts', 'start-postgres.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-start-pg-'));
  console.log(`start-postgres: npm run start:postgres -- backend (log: ${path.relative(root, logFile)})`);
  const started = Date.now();
  const app = spawn('npm', ['run', 'start:postgres', '--', 'backend'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      POSTGRES_HOST: process.env.POSTGRES_HOST || '127.0.0.1',
      POSTGRES_USER: process.env.POSTGRES_USER || 'postgres',
      APP_CONFIG_backend_listen_port: String(PORT),
      APP_CONFIG_backend_baseUrl: `http://localhost:${PORT}`,
      APP_CONFIG_backend_database_prefix: PREFIX,
      SELF_SERVICE_SQLITE_DIR: dataDir,
    },
  });
  let status = 1;
  try {
    const base = `http://localhost:${PORT}`;
    const ready =
      (await waitFor(`${base}/.backstage/health/v1/readiness`, 180000)) &&
      (await waitFor(`${base}/api/self-service/health`, 30000));
    const text = fs.readFileSync(logFile, 'utf8');
    if (!ready) throw new Error('the backend did not answer readiness within 3 minutes');
    // The point of the check: it really runs on PostgreSQL.
    const onPostgres = spawnSync('psql', ['-h', process.env.POSTGRES_HOST || '127.0.0.1', '-U', process.env.POSTGRES_USER || 'postgres', '-Atc', `SELECT count(*) FROM pg_database WHERE datname = '${PREFIX}self-service'`], { encoding: 'utf8' });
    if (onPostgres.stdout.trim() !== '1') {
      throw new Error(`no PostgreSQL database ${PREFIX}self-service was created (psql: ${onPostgres.stdout}${onPostgres.stderr})`);
    }
    if (/Config file .* does not exist/.test(text)) throw new Error('a config file was not found');
    console.log(`start-postgres: ready on PostgreSQL in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    status = 0;
  } catch (error) {
    console.error(`start-postgres: ${error.message}`);
    console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
  } finally {
    try {
      process.kill(-app.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise(r => setTimeout(r, 3000));
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    dropDatabases();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(status);
}

main();
