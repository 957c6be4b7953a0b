#!/usr/bin/env node
/*
 * `npm run bench`: runs every bench/*.bench.js file in its own Node process
 * (so peak-memory figures are per benchmark) and prints their reports.
 * Pass a name fragment to run only matching benchmarks; every other argument
 * (flags such as `--real`, run counts) is passed on to each benchmark run:
 *
 *   npm run bench -- gate-overhead --real 5
 *   npm run bench -- plan-summary 10000 7
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
// The name fragment: the first argument that is neither a flag nor a number.
const filterIndex = args.findIndex(a => !a.startsWith('-') && !/^\d+$/.test(a));
const filter = filterIndex === -1 ? '' : args[filterIndex];
const forwarded = args.filter((_, i) => i !== filterIndex);
const files = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.bench.js') && f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(
    `\n=== ${file}${forwarded.length ? ` ${forwarded.join(' ')}` : ''} ===`,
  );
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(__dirname, file), ...forwarded],
    {
      stdio: 'inherit',
      cwd: path.resolve(__dirname, '..'),
    },
  );
  if (result.status !== 0) failed++;
}
if (files.length === 0) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(1);
}
process.exit(failed ? 1 : 0);
