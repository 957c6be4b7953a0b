/*
 * What the Terraform stand-in was asked to do: it appends one JSON line per
 * invocation to `.standin-calls.jsonl` in its working directory, which the
 * actions put at `<workingDirectoryRoot>/<task id>/terraform`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface StandinCall {
  argv: string[];
  cwd: string;
  scenario: string;
  tfvars: Record<string, unknown>;
  /** The scaffolder task whose working directory it ran in. */
  taskId: string;
}

/** Every stand-in invocation under `workDir`, optionally of one task only. */
export function standinCalls(workDir: string, taskId?: string): StandinCall[] {
  if (!fs.existsSync(workDir)) return [];
  const tasks = taskId
    ? [taskId.replace(/[^\w.-]/g, '_')]
    : fs.readdirSync(workDir);
  const calls: StandinCall[] = [];
  for (const task of tasks) {
    const file = path.join(workDir, task, 'terraform', '.standin-calls.jsonl');
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (line.trim()) calls.push({ ...JSON.parse(line), taskId: task });
    }
  }
  return calls;
}

/** The Terraform subcommands run, in order, e.g. ['init', 'plan', 'show']. */
export function commands(calls: StandinCall[]): string[] {
  return calls.map(c => c.argv[0]);
}

/** The `apply` invocations (a real Terraform would have changed something). */
export function applies(calls: StandinCall[]): StandinCall[] {
  return calls.filter(c => c.argv[0] === 'apply');
}
