#!/usr/bin/env node
/*
 * Benchmark: plan summary and plan cost of a generated 10,000-resource
 * `terraform show -json` plan. Times several runs (median) of parsing the
 * plan JSON, summarising it (with its hash) and pricing it, and reports peak
 * memory. Targets: under 1 s and under 300 MB.
 *
 *   node bench/plan-summary.bench.js [resources=10000] [runs=7]
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
const { summarizePlan } = require(
  path.join(
    root,
    'plugins/scaffolder-backend-module-self-service/src/terraform/planSummary',
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
  const resources = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 7);
  const book = await loadPriceBook(path.join(root, 'examples/price-book.yaml'));
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  // What `terraform show -json` prints: the runner parses it from text.
  const text = JSON.stringify(generateLargePlan(resources));

  const timings = { parse: [], summary: [], cost: [], total: [] };
  let peakHeap = 0;
  let summary;
  let cost;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const plan = JSON.parse(text);
    const t1 = process.hrtime.bigint();
    summary = summarizePlan(plan);
    hashPlanSummary(summary);
    const t2 = process.hrtime.bigint();
    cost = pricePlan(book, plan);
    const t3 = process.hrtime.bigint();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    timings.parse.push(Number(t1 - t0) / 1e6);
    timings.summary.push(Number(t2 - t1) / 1e6);
    timings.cost.push(Number(t3 - t2) / 1e6);
    timings.total.push(Number(t3 - t0) / 1e6);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const ms = v => `${v.toFixed(1)} ms`;
  console.log(
    `plan-summary benchmark: ${resources} resources (${(text.length / 1e6).toFixed(1)} MB of plan JSON), ${runs} runs, Node ${process.version}`,
  );
  console.log(`  parse JSON              median ${ms(median(timings.parse))}`);
  console.log(
    `  summary + plan hash     median ${ms(median(timings.summary))}`,
  );
  console.log(`  cost from plan          median ${ms(median(timings.cost))}`);
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
