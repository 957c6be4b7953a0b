/*
 * Helpers for the benchmarks in bench/ (gate-overhead, approval-latency),
 * which boot the same backend as the flow tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ORG_FILE } from './harness';

/**
 * A copy of the example org whose team-a has room for hundreds of requests,
 * so repeated runs measure the flow instead of hitting the quota (5) and
 * budget (1000) of examples/org/org.yaml.
 */
export function roomyOrgFile(dir: string): string {
  const file = path.join(dir, 'org-bench.yaml');
  const org = fs
    .readFileSync(ORG_FILE, 'utf8')
    .replace(
      "self-service.io/monthly-budget: '1000'",
      "self-service.io/monthly-budget: '10000000'",
    )
    .replace(
      "self-service.io/resource-quota: '5'",
      "self-service.io/resource-quota: '100000'",
    );
  if (!org.includes("'100000'") || !org.includes("'10000000'")) {
    throw new Error(`could not raise team-a's limits in ${ORG_FILE}`);
  }
  fs.writeFileSync(file, org);
  return file;
}

export interface Stats {
  n: number;
  min: number;
  /** First quartile: with p75, the middle half of the values. */
  p25: number;
  median: number;
  p75: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted values. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0],
    p25: percentile(sorted, 25),
    median: percentile(sorted, 50),
    p75: percentile(sorted, 75),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

export function formatStats(s: Stats): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return `n=${s.n} min ${ms(s.min)}, median ${ms(s.median)}, p95 ${ms(s.p95)}, max ${ms(s.max)}`;
}
