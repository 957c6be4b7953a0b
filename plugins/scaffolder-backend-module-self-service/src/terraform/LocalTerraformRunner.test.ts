import { createMockDirectory } from '@backstage/backend-test-utils';
import { RUN_RECORD_FILE } from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { captureLogger } from '../__testUtils__/fakes';
import { readCalls, standinRunner, STANDIN } from '../__testUtils__/terraform';
import { LocalTerraformRunner, localStateLockFile } from './LocalTerraformRunner';

describe('LocalTerraformRunner (driving the stand-in CLI)', () => {
  const dir = createMockDirectory();
  let work: string;
  let record: string;

  beforeEach(async () => {
    dir.clear();
    work = dir.resolve('work');
    record = dir.resolve('calls.jsonl');
    await fs.mkdir(work, { recursive: true });
    await fs.writeFile(
      join(work, 'self-service.auto.tfvars.json'),
      JSON.stringify({
        name: 'db-1',
        storage_gb: 20,
        tags: { team: 'team-a' },
      }),
    );
  });

  it('runs init, plan, show, apply and output with argv arrays and streams -json UI lines', async () => {
    const runner = standinRunner({ scenario: 'create', record });
    const logger = captureLogger();
    const ctx = { workingDirectory: work, logger };
    // Inside the test's directory: the stand-in writes its state there on
    // apply, and a state left by an earlier run would make the plan an update.
    const statePath = dir.resolve('state/team-a/db/key/terraform.tfstate');
    await runner.init(ctx, { backendConfig: { path: statePath } });
    await runner.plan(ctx, { planFile: 'p.tfplan' });
    const plan = await runner.show(ctx, { planFile: 'p.tfplan' });
    await runner.apply(ctx, { planFile: 'p.tfplan' });
    const outputs = await runner.output(ctx);

    const calls = await readCalls(record);
    expect(calls.map(c => c.argv)).toEqual([
      [
        'init',
        '-input=false',
        '-no-color',
        `-backend-config=path=${statePath}`,
      ],
      ['plan', '-input=false', '-no-color', '-json', '-out=p.tfplan'],
      ['show', '-json', '-no-color', 'p.tfplan'],
      ['apply', '-input=false', '-no-color', '-json', 'p.tfplan'],
      ['output', '-json', '-no-color'],
    ]);
    expect(calls[0].env).toMatchObject({
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    });
    expect(plan.resource_changes!.map(r => r.address)).toEqual([
      'aws_db_instance.this',
      'random_password.master',
    ]);
    expect((plan.resource_changes![0].change.after as any).identifier).toBe(
      'db-1',
    );
    expect(plan.variables).toMatchObject({ storage_gb: { value: 20 } });
    expect(outputs.port).toEqual({
      sensitive: false,
      type: 'number',
      value: 5432,
    });
    // the UI messages, not the raw JSON, reach the log; show/output JSON never does
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        'info: random_password.master: Plan to create',
        'info: Plan: 2 to add, 0 to change, 0 to destroy.',
        'info: aws_db_instance.this: Still creating... [10s elapsed]',
        'info: Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
        'info: Initializing the backend...',
      ]),
    );
    expect(logger.text()).not.toContain('"@message"');
    expect(logger.text()).not.toContain('resource_changes');
  });

  it('passes only allow-listed environment variables to the CLI', async () => {
    process.env.SELF_SERVICE_TEST_BACKEND_SECRET = 'do-not-leak';
    try {
      const runner = new LocalTerraformRunner({
        binary: STANDIN,
        timeoutMs: 10_000,
        killGraceMs: 100,
        environment: { TF_STANDIN_RECORD: record, AWS_REGION: 'eu-west-1' },
        inheritEnvironment: ['PATH', 'SELF_SERVICE_TEST_ALLOWED_*'],
      });
      await runner.init(
        { workingDirectory: work, logger: captureLogger() },
        { backendConfig: {} },
      );
      const [call] = await readCalls(record);
      expect((call as any).envNames).toEqual(
        expect.arrayContaining(['PATH', 'AWS_REGION', 'TF_IN_AUTOMATION']),
      );
      expect((call as any).envNames).not.toContain(
        'SELF_SERVICE_TEST_BACKEND_SECRET',
      );
    } finally {
      delete process.env.SELF_SERVICE_TEST_BACKEND_SECRET;
    }
  });

  it('fails a plan with the diagnostics Terraform reported', async () => {
    const runner = standinRunner({ scenario: 'plan-error', record });
    const logger = captureLogger();
    const ctx = { workingDirectory: work, logger };
    await runner.init(ctx, { backendConfig: {} });
    const error = await runner.plan(ctx, { planFile: 'p' }).catch(e => e);
    expect(error.message).toMatch(
      /^terraform plan failed with exit code 1:\n\nError: Duplicate resource "terraform_data" configuration \(main\.tf line 18\)\nA terraform_data resource named "db" was already declared .*\n\nHint: The template's Terraform module has an error/,
    );
    // The scaffolder logs a failed step's stack: no Node frames in it.
    expect(error.stack).toBe(error.message);
    expect(
      logger.lines.some(l => l.startsWith('error: Error: Duplicate resource')),
    ).toBe(true);
  });

  it('stops a command that runs past its timeout with SIGTERM', async () => {
    const runner = standinRunner({ scenario: 'slow', record, timeoutMs: 1500 });
    const ctx = { workingDirectory: work, logger: captureLogger() };
    await runner.init(ctx, { backendConfig: {} });
    const started = Date.now();
    await expect(runner.plan(ctx, { planFile: 'p' })).rejects.toThrow(
      'terraform plan timed out after 1.5s',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await readCalls(record)).some(c => c.signal === 'SIGTERM')).toBe(
      true,
    );
    expect(ctx.logger.lines).toContain(
      'info: Interrupt received. Gracefully shutting down...',
    );
  });

  it('stops a cancelled command, escalating to SIGKILL when SIGTERM is ignored', async () => {
    const runner = standinRunner({
      scenario: 'stubborn',
      record,
      killGraceMs: 300,
    });
    const controller = new AbortController();
    const ctx = {
      workingDirectory: work,
      logger: captureLogger(),
      signal: controller.signal,
    };
    await runner.init(ctx, { backendConfig: {} });
    const planning = runner.plan(ctx, { planFile: 'p' });
    setTimeout(() => controller.abort(), 1200);
    await expect(planning).rejects.toThrow('terraform plan was cancelled');
    expect(
      (await readCalls(record)).filter(c => c.signal === 'SIGTERM'),
    ).toHaveLength(1);
    expect(ctx.logger.lines).toContain(
      'warn: terraform plan cancelled; stopping it',
    );
  });

  it('reports a state lock a stopped command left behind, in its error and before the next command', async () => {
    const runner = standinRunner({ scenario: 'slow', record, timeoutMs: 1500 });
    const ctx = { workingDirectory: work, logger: captureLogger() };
    const statePath = dir.resolve('state/team-a/db/key/terraform.tfstate');
    const lockFile = localStateLockFile(statePath);
    expect(lockFile).toBe(
      dir.resolve('state/team-a/db/key/.terraform.tfstate.lock.info'),
    );
    await runner.init(ctx, { backendConfig: { path: statePath } });
    const planning = runner.plan(ctx, { planFile: 'p' });
    // While it runs: the run record, with the lock file to check.
    const recordFile = join(work, RUN_RECORD_FILE);
    let running: any;
    for (let i = 0; i < 100 && !running; i++) {
      running = await fs
        .readFile(recordFile, 'utf8')
        .then(JSON.parse, () => undefined);
      if (!running) await new Promise(r => setTimeout(r, 20));
    }
    expect(running).toMatchObject({
      label: 'terraform plan',
      pid: expect.any(Number),
      backendPid: process.pid,
      stateLockFile: lockFile,
    });
    // What Terraform's local backend writes while it holds the lock (the
    // stand-in does not lock).
    await fs.mkdir(dirname(lockFile), { recursive: true });
    await fs.writeFile(
      lockFile,
      JSON.stringify({
        ID: '5b1c7e2a-0000-4000-8000-000000000001',
        Operation: 'OperationTypePlan',
        Who: 'backstage@host',
        Created: '2026-12-01T10:00:00Z',
      }),
    );
    const error = await planning.then(
      () => undefined,
      e => e as Error,
    );
    expect(error?.message).toContain('terraform plan timed out after 1.5s');
    expect(error?.message).toContain(
      `Terraform state lock left behind: ${lockFile} (ID 5b1c7e2a-0000-4000-8000-000000000001, OperationTypePlan, by backstage@host, since 2026-12-01T10:00:00Z)`,
    );
    expect(error?.message).toContain(
      'terraform force-unlock 5b1c7e2a-0000-4000-8000-000000000001',
    );
    await expect(fs.access(recordFile)).rejects.toThrow();

    // The next command on that state says so before it runs.
    const next = { workingDirectory: work, logger: captureLogger() };
    await standinRunner({ record }).init(next, {
      backendConfig: { path: statePath },
    });
    expect(next.logger.lines[0]).toMatch(
      /^warn: Before terraform init: Terraform state lock left behind: .*\.terraform\.tfstate\.lock\.info \(ID 5b1c7e2a/,
    );
  });

  it('leaves no lock report when the state has no lock left', async () => {
    const runner = standinRunner({ scenario: 'slow', record, timeoutMs: 800 });
    const ctx = { workingDirectory: work, logger: captureLogger() };
    await runner.init(ctx, {
      backendConfig: { path: dir.resolve('state/terraform.tfstate') },
    });
    await expect(runner.plan(ctx, { planFile: 'p' })).rejects.toThrow(
      /^terraform plan timed out after 800ms$/,
    );
    expect(ctx.logger.text()).not.toContain('state lock');
  });

  it('does not start when the task is already cancelled', async () => {
    const runner = standinRunner({ record });
    const controller = new AbortController();
    controller.abort();
    await expect(
      runner.init(
        {
          workingDirectory: work,
          logger: captureLogger(),
          signal: controller.signal,
        },
        { backendConfig: {} },
      ),
    ).rejects.toThrow('terraform init was cancelled before it started');
    expect(await readCalls(record)).toEqual([]);
  });

  it('reports a missing binary clearly', async () => {
    const runner = new LocalTerraformRunner({
      binary: dir.resolve('no-such-terraform'),
      timeoutMs: 1000,
      killGraceMs: 100,
    });
    await expect(
      runner.init(
        { workingDirectory: work, logger: captureLogger() },
        { backendConfig: {} },
      ),
    ).rejects.toThrow(
      /terraform init: could not start .*no-such-terraform: spawn .* ENOENT/,
    );
  });
});
