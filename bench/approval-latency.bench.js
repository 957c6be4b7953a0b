#!/usr/bin/env node
/*
 * Benchmark: from the final approval to the apply phase running.
 *
 *   node bench/approval-latency.bench.js [approvals=20]   (or: node bench/run.js latency)
 *
 * Boots the flow tests' backend in-process (startTestBackend outside jest;
 * real catalog, scaffolder, self-service backend and actions, Terraform
 * stand-in). For each sample: a production request is recorded by a first
 * scaffolder run as user:default/dev and approved by the team lead (stage 1);
 * then the clock starts, a DBA sends the last approval
 * (POST /api/self-service/requests/:id/decisions), and the clock stops when
 * the launched scaffolder task leaves `open` (a worker claimed it and runs
 * its steps), polled every 5 ms. Reported: p50/p95 of that latency and of
 * the decision call itself (which includes launching the task through the
 * scaffolder API). Each apply finishes before the next sample. Target: p95
 * under 2 s.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const flowUtils = path.join(root, 'packages/backend/src/flow/__testUtils__');
const { startFlowBackend } = require(path.join(flowUtils, 'harness'));
const { FlowClient, databaseParameters, DEV, LEAD, DBA_ALICE, sleep } = require(
  path.join(flowUtils, 'client'),
);
const { roomyOrgFile, stats, formatStats } = require(
  path.join(flowUtils, 'bench'),
);

const TARGET_P95_MS = 2000;
const WARMUP = 2;

async function pendingAtLastStage(api, name) {
  const taskId = await api.startTaskOk(
    DEV,
    databaseParameters({ name, environment: 'production' }),
  );
  const task = await api.waitForTask(taskId, { intervalMs: 20 });
  if (task.status !== 'completed')
    throw new Error(`first run ${task.status}:\n${task.log}`);
  const request = await api.requestOfTask(taskId);
  const stage1 = await api.decide(request.id, LEAD, 'approve');
  if (stage1.status !== 200 || stage1.body.currentStage !== 1) {
    throw new Error(`stage 1: ${stage1.status} ${JSON.stringify(stage1.body)}`);
  }
  return request.id;
}

async function sample(api, name) {
  const id = await pendingAtLastStage(api, name);
  const t0 = performance.now();
  const decision = await api.decide(id, DBA_ALICE, 'approve');
  const decided = performance.now() - t0;
  if (decision.status !== 200) {
    throw new Error(
      `final approval: ${decision.status} ${JSON.stringify(decision.body)}`,
    );
  }
  const launchedId = decision.body.taskIds[1];
  if (!launchedId)
    throw new Error(`no launched task: ${JSON.stringify(decision.body)}`);
  for (;;) {
    const task = await api.getTask(launchedId);
    if (task.status !== 'open') break;
    if (performance.now() - t0 > 60_000)
      throw new Error(`task ${launchedId} never started`);
    await sleep(5);
  }
  const started = performance.now() - t0;
  const done = await api.waitForState(id, ['succeeded', 'failed']);
  if (done.state !== 'succeeded')
    throw new Error(`request ${id} ${done.state}: ${done.stateReason}`);
  return { decided, started };
}

async function main() {
  const approvals = Number(process.argv[2] ?? 20);
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'self-service-bench-latency-'),
  );
  const flow = await startFlowBackend({
    dataDir: dir,
    orgFile: roomyOrgFile(dir),
  });
  try {
    const api = new FlowClient(flow.baseUrl);
    await api.waitForCatalog();
    const started = [];
    const decided = [];
    for (let i = -WARMUP; i < approvals; i++) {
      const s = await sample(api, `latency-${i + WARMUP}`);
      if (i >= 0) {
        started.push(s.started);
        decided.push(s.decided);
      }
    }
    const st = stats(started);
    const dt = stats(decided);
    console.log(`${approvals} final approvals (after ${WARMUP} warm-up):`);
    console.log(`  approval call -> apply task running   ${formatStats(st)}`);
    console.log(`  approval call itself (incl. launch)   ${formatStats(dt)}`);
    const ok = st.p95 < TARGET_P95_MS;
    console.log(
      `p50 ${st.median.toFixed(0)} ms, p95 ${st.p95.toFixed(0)} ms (target p95 < ${TARGET_P95_MS} ms) -> ${ok ? 'MET' : 'NOT MET'}`,
    );
    return ok;
  } finally {
    await flow.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Exits explicitly: a stopped test backend leaves the scaffolder's pollers' timers behind.
main().then(
  ok => process.exit(ok ? 0 : 1),
  error => {
    console.error(error);
    process.exit(1);
  },
);
