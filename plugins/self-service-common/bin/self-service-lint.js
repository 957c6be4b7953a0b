#!/usr/bin/env node
/*
 * self-service-lint: checks Template YAML files against the rules the catalog
 * refuses self-service templates on. Run `self-service-lint --help`.
 *
 * Runs the TypeScript sources of @internal/plugin-self-service-common through
 * the Backstage CLI's Node transform (installed in this repository by
 * `npm ci`), so it always checks with the rules the backend enforces.
 */
'use strict';

require('@backstage/cli/config/nodeTransform.cjs');

const { main } = require('../src/templateChecks/lint');

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`self-service-lint: ${error.stack || error}\n`);
  process.exitCode = 2;
}
