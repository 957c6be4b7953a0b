#!/usr/bin/env node
/*
 * Benchmark: the whole saved-plan path of terraform:plan on a generated
 * 10,000-resource `terraform show -json` plan in which every resource has its
 * own secret (10,000 secrets): parse the plan JSON, collect the sensitive
 * values into the redactor, summarise (structural masking, every part of the
 * summary through the redactor, digests of sensitive values), hash, price,
 * and redact the cost, as summarizeSavedPlan and the action do. Times several
 * runs (median) and reports peak memory. Targets: under 1 s and under 300 MB.
 *
 *   node bench/plan-summary.bench.js [resources=10000] [runs=7]
 *   npm run bench -- plan-summary [resources] [runs]
 *
 * The TypeScript sources are loaded through @backstage/cli's Node transform,
 * so nothing needs building first.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { generateLargePlan } = require(
  path.join(
    root,
    'plugins/scaffolder-backend-module-self-service/src/__testUtils__/largePlan',
  ),
);
const { collectSensitiveValues, summarizePlan } = require(
  path.join(
    root,
    'plugins/scaffolder-backend-module-self-service/src/terraform/planSummary',
  ),
);
const { Redactor } = require(
  path.join(
    root,
    'plugins/scaffolder-backend-module-self-service/src/terraform/redaction',
  ),
);
const { hashPlanSummary, loadPriceBook, pricePlan } = require(
  path.join(root, 'plugins/self-service-node/src'),
);

const TARGET_MS = 1000;
const TARGET_MB = 300;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const numbers = process.argv.slice(2).filter(a => /^\d+$/.test(a));
  const resources = Number(numbers[0] ?? 10_000);
  const runs = Number(numbers[1] ?? 7);
  const book = await loadPriceBook(path.join(root, 'examples/price-book.yaml'));
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  // Every managed resource has its own secret (its password); sensitive root
  // variables (tokens) top the count up to one secret per resource.
  const generated = generateLargePlan(resources);
  const perResource = new Set(
    collectSensitiveValues(generated).map(v => String(v)),
  ).size;
  const variables = {};
  const declared = {};
  for (let i = 0; i < resources - perResource; i++) {
    variables[`token_${i}`] = { value: `token-${i}-Zq${(i * 7919) % 100000}` };
    declared[`token_${i}`] = { sensitive: true };
  }
  generated.variables = variables;
  generated.configuration = { root_module: { variables: declared } };
  // What `terraform show -json` prints: the runner parses it from text.
  const text = JSON.stringify(generated);

  const timings = {
    parse: [],
    secrets: [],
    summary: [],
    hash: [],
    cost: [],
    total: [],
  };
  let peakHeap = 0;
  let summary;
  let cost;
  let secrets = 0;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const plan = JSON.parse(text);
    const t1 = process.hrtime.bigint();
    const redactor = new Redactor();
    for (const value of collectSensitiveValues(plan)) redactor.add(value);
    secrets = redactor.size;
    const t2 = process.hrtime.bigint();
    summary = summarizePlan(plan, { redactor });
    const t3 = process.hrtime.bigint();
    hashPlanSummary(summary);
    const t4 = process.hrtime.bigint();
    cost = redactor.redactValue(pricePlan(book, plan));
    const t5 = process.hrtime.bigint();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    timings.parse.push(Number(t1 - t0) / 1e6);
    timings.secrets.push(Number(t2 - t1) / 1e6);
    timings.summary.push(Number(t3 - t2) / 1e6);
    timings.hash.push(Number(t4 - t3) / 1e6);
    timings.cost.push(Number(t5 - t4) / 1e6);
    timings.total.push(Number(t5 - t0) / 1e6);
  }
  if (JSON.stringify(summary).includes('secret-1-value'))
    throw new Error('a secret reached the summary');
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const ms = v => `${v.toFixed(1)} ms`;
  console.log(
    `plan-summary benchmark (saved-plan path): ${resources} resources, ${secrets} secrets (${(text.length / 1e6).toFixed(1)} MB of plan JSON), ${runs} runs, Node ${process.version}`,
  );
  console.log(`  parse JSON              median ${ms(median(timings.parse))}`);
  console.log(
    `  collect secrets         median ${ms(median(timings.secrets))}`,
  );
  console.log(
    `  summary + redaction     median ${ms(median(timings.summary))}`,
  );
  console.log(`  plan hash               median ${ms(median(timings.hash))}`);
  console.log(`  cost + its redaction    median ${ms(median(timings.cost))}`);
  console.log(
    `  total                   median ${ms(median(timings.total))}  (min ${ms(Math.min(...timings.total))}, max ${ms(Math.max(...timings.total))})`,
  );
  console.log(
    `  peak heap used          ${(peakHeap / 1024 / 1024).toFixed(0)} MB`,
  );
  console.log(
    `  peak RSS (maxRSS)       ${maxRssMb.toFixed(0)} MB (of which ${baselineRssMb.toFixed(0)} MB before the plan existed: Node, the TypeScript transform, the libraries)`,
  );
  console.log(
    `  summary: ${summary.resources.length} resources, counts ${JSON.stringify(summary.counts)}; cost ${cost.currency} ${cost.monthlyTotal.toFixed(2)}/month, ${cost.unpriced.length} unpriced`,
  );
  const ok = median(timings.total) < TARGET_MS && maxRssMb < TARGET_MB;
  console.log(
    `  targets: < ${TARGET_MS} ms and < ${TARGET_MB} MB: ${ok ? 'met' : 'MISSED'}`,
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
