#!/usr/bin/env node
/*
 * Runs before `npm start` and `npm test`: installs dependencies with `npm ci`
 * when node_modules is missing or older than package-lock.json, so a fresh
 * clone needs no other set-up command. Cheap when nothing changed.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockfile = path.join(root, 'package-lock.json');
// npm writes this file at the end of every install into node_modules.
const installed = path.join(root, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Node.js 20 or newer is required, this is ${process.version}`);
  process.exit(1);
}

const force = process.argv.includes('--force');
const installedAt = mtime(installed);
const lockedAt = mtime(lockfile);
if (!force && installedAt !== undefined && lockedAt !== undefined && installedAt >= lockedAt) {
  process.exit(0);
}

console.log(
  installedAt === undefined
    ? 'bootstrap: node_modules is missing, running npm ci (a few minutes on first run)'
    : 'bootstrap: package-lock.json is newer than node_modules, running npm ci',
);
const npm = args =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status ?? 1;

let status = npm(['ci']);
if (status !== 0) {
  // Where the npm registry (or its mirror) lacks other platforms' optional
  // binaries of @swc/core, rollup and unrs-resolver, npm cannot write them
  // into the lockfile and `npm ci` then refuses it as out of sync. `npm
  // install` installs the same locked versions and skips what it cannot see.
  console.warn('bootstrap: npm ci refused the lockfile; installing the locked versions with npm install');
  status = npm(['install']);
}
process.exit(status);
