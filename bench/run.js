#!/usr/bin/env node
/*
 * `npm run bench`: runs every bench/*.bench.js file in its own Node process
 * (so peak-memory figures are per benchmark) and prints their reports.
 * Pass a name fragment to run only matching benchmarks.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const filter = process.argv[2] ?? '';
const files = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.bench.js') && f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, file)], {
    stdio: 'inherit',
    cwd: path.resolve(__dirname, '..'),
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
