import { createMockDirectory } from '@backstage/backend-test-utils';
import { hashParameters } from '@internal/plugin-self-service-node';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FakeSelfServiceClient } from '../../__testUtils__/fakes';
import { mockAuth, runAction } from '../../__testUtils__/runAction';
import {
  readCalls,
  standinRunner,
  templateInfo,
  terraformConfig,
} from '../../__testUtils__/terraform';
import { createRequestAction } from '../request/request';
import { createTerraformApplyAction } from './apply';
import { heldGrants } from './grant';
import { examples } from './apply.examples';
import { createTerraformPlanAction } from './plan';

const parameters = {
  name: 'orders-db',
  instance_size: 'small',
  storage_gb: 50,
  environment: 'dev',
  team: 'group:default/team-a',
};
const variables = {
  name: 'orders-db',
  instance_size: 'small',
  storage_gb: 50,
  environment: 'dev',
};
const tags = { team: 'team-a', environment: 'dev', 'request-key': 'task-1' };

describe('terraform:apply', () => {
  const dir = createMockDirectory();
  let record: string;
  let client: FakeSelfServiceClient;

  beforeEach(() => {
    dir.clear();
    record = dir.resolve('calls.jsonl');
    client = new FakeSelfServiceClient();
    heldGrants.release('task-1');
  });

  const workspacePath = () => dir.resolve('workspace');
  const config = () => terraformConfig(dir.path);
  const runner = (scenario = 'create') => standinRunner({ scenario, record });
  const options = (scenario?: string) => ({
    runner: runner(scenario),
    config: config(),
    client,
    auth: mockAuth(),
  });
  const ctxOptions = (extra: Parameters<typeof runAction>[2] = {}) => ({
    workspacePath: workspacePath(),
    templateInfo: templateInfo('postgres'),
    ...extra,
  });

  /** guardrails are not needed here: plan + request as the first phase of a task */
  async function planAndRequest(
    options2: {
      stages?: unknown[];
      scenario?: string;
      taskId?: string;
      /** false: a template that does not pass planFileDigest on. */
      bindPlanFile?: boolean;
      /**
       * Plans the terraform-data module with this as its sensitive variable,
       * for the stand-in scenarios that record sensitive values.
       */
      secret?: string;
    } = {},
  ) {
    const ctx = ctxOptions({
      taskId: options2.taskId,
      ...(options2.secret
        ? { templateInfo: templateInfo('terraform-data') }
        : {}),
    });
    const plan = await runAction(
      createTerraformPlanAction({
        runner: runner(options2.scenario),
        config: config(),
      }),
      {
        module: './module',
        variables: options2.secret
          ? { name: 'orders-db', password: options2.secret }
          : variables,
        tags,
      },
      ctx,
    );
    expect(plan.error).toBeUndefined();
    const request = await runAction(
      createRequestAction({
        client,
        auth: mockAuth(),
        appBaseUrl: 'http://localhost:3000',
      }),
      {
        parameters,
        team: 'group:default/team-a',
        environment: 'dev',
        cost: plan.outputs.cost,
        planSummary: plan.outputs.planSummary,
        planHash: plan.outputs.planHash,
        ...(options2.bindPlanFile === false
          ? {}
          : { planFileDigest: plan.outputs.planFileDigest }),
        stages: options2.stages ?? [],
      },
      ctx,
    );
    expect(request.error).toBeUndefined();
    return {
      plan: plan.outputs,
      request: request.outputs,
      logs: { plan: plan.log, request: request.log },
    };
  }

  /** terraform:apply in the task that recorded the request (the first phase). */
  const applyRequest = (requestId: string, scenario?: string) =>
    runAction(
      createTerraformApplyAction(options(scenario)),
      { parameters, requestId },
      ctxOptions(),
    );

  const savedPlanFile = () =>
    join(workspacePath(), 'terraform', 'self-service.tfplan');
  const commands = async () => (await readCalls(record)).map(c => c.argv[0]);

  it('applies an auto-approved request with the grant the request step holds', async () => {
    const { plan, request } = await planAndRequest();
    expect(request.approved).toBe(true);
    const { outputs, error, log } = await applyRequest(request.requestId);
    expect(error).toBeUndefined();
    // The plan file recorded with the request is applied as it is: no
    // re-plan, no second show, no request read.
    expect(await commands()).toEqual([
      'init',
      'plan',
      'show',
      'apply',
      'output',
    ]);
    expect(client.calls.map(c => c.method)).toEqual([
      'createRequest',
      'redeemGrant',
      'reportStatus',
    ]);
    const calls = await readCalls(record);
    expect(calls.find(c => c.argv[0] === 'apply')!.argv.at(-1)).toBe(
      'self-service.tfplan',
    );
    const redeem = client.calls.find(c => c.method === 'redeemGrant')!;
    expect(redeem.body).toEqual({
      requestId: request.requestId,
      templateRef: 'template:default/postgres-database',
      parametersHash: hashParameters(parameters),
      planHash: plan.planHash,
      planFileDigest: plan.planFileDigest,
      taskId: 'task-1',
      token: expect.stringMatching(/^grant-/),
    });
    expect(plan.planFileDigest).toBe(
      createHash('sha256')
        .update(await fs.readFile(savedPlanFile()))
        .digest('hex'),
    );
    expect(redeem.token).toContain('plugin:scaffolder'); // service identity, not the user's
    expect(outputs).toMatchObject({
      outputs: {
        endpoint: 'orders-db.c1x2y3z4.us-east-1.rds.amazonaws.com:5432',
        port: 5432,
        username: 'app',
      },
      planHash: plan.planHash,
      requestId: request.requestId,
    });
    // the sensitive output is dropped and never logged
    expect(outputs.outputs.password).toBeUndefined();
    expect(JSON.stringify(outputs)).not.toContain('Pw-Known-Only-In-State');
    expect(log).not.toContain('Pw-Known-Only-In-State');
    expect(log).toContain(
      'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
    );
    const state = join(
      dir.path,
      'state',
      'team-a',
      'postgres-database',
      'task-1',
      'terraform.tfstate',
    );
    expect(JSON.parse(await fs.readFile(state, 'utf8'))).toMatchObject({
      version: 4,
    });
    // the held grant is gone once redeemed
    expect(heldGrants.get('task-1')).toBeUndefined();
    const report = client.calls.find(c => c.method === 'reportStatus')!;
    expect(report.body).toEqual({
      id: request.requestId,
      state: 'succeeded',
      taskId: 'task-1',
      outputs: {
        endpoint: 'orders-db.c1x2y3z4.us-east-1.rds.amazonaws.com:5432',
        port: 5432,
        username: 'app',
      },
    });
    expect(report.token).toContain('plugin:scaffolder');
    expect(client.requests.get(request.requestId)!.state).toBe('succeeded');
  });

  it('without a plan file digest (a template that does not pass it), reads the saved plan back and compares it', async () => {
    const { request } = await planAndRequest({ bindPlanFile: false });
    const { error } = await applyRequest(request.requestId);
    expect(error).toBeUndefined();
    expect(await commands()).toEqual([
      'init',
      'plan',
      'show',
      'show',
      'apply',
      'output',
    ]);
    expect(client.calls.map(c => c.method)).toContain('getRequest');
  });

  it('refuses a plan file swapped after the request step, even one whose change set reads the same', async () => {
    const { request } = await planAndRequest();
    // Same plan, other bytes: the digest no longer matches the recorded one.
    const saved = JSON.parse(await fs.readFile(savedPlanFile(), 'utf8'));
    await fs.writeFile(savedPlanFile(), JSON.stringify(saved, null, 2));
    const { error } = await applyRequest(request.requestId);
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain(
      'could not be redeemed, so nothing was applied',
    );
    // It was read back (the change set matched), but the grant binds the file.
    expect(await commands()).toEqual(['init', 'plan', 'show', 'show']);
    expect(client.requests.get(request.requestId)!.state).toBe('approved');
  });

  it('refuses a swapped plan file when the held grant was forged to match it', async () => {
    const { request } = await planAndRequest();
    const saved = JSON.parse(await fs.readFile(savedPlanFile(), 'utf8'));
    saved.standinPlan = 'create-drifted';
    await fs.writeFile(savedPlanFile(), JSON.stringify(saved));
    const held = heldGrants.get('task-1')!;
    held.planFileDigest = createHash('sha256')
      .update(await fs.readFile(savedPlanFile()))
      .digest('hex');
    heldGrants.hold('task-1', held, new Date(Date.now() + 60_000));
    const { error } = await applyRequest(request.requestId);
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain(
      'could not be redeemed, so nothing was applied',
    );
    expect(await commands()).not.toContain('apply');
    expect(client.requests.get(request.requestId)!.state).toBe('approved');
  });

  it('masks what terraform:plan masked, also when it applies without reading the plan back', async () => {
    const secret = 'Form-Secret-5e4d3c2b';
    const { request } = await planAndRequest({
      scenario: 'sensitive-leaky',
      secret,
    });
    expect(request.autoApproved).toBe(true);
    const { error, log } = await runAction(
      createTerraformApplyAction(options('sensitive-leaky')),
      { parameters },
      ctxOptions({ templateInfo: templateInfo('terraform-data') }),
    );
    expect(error).toBeUndefined();
    expect(await commands()).toEqual([
      'init',
      'plan',
      'show',
      'apply',
      'output',
    ]);
    // the recorded apply echoes the secret in a warning, as the plan did
    expect(log).toContain('Value echoed by provider: (sensitive)');
    expect(log).not.toContain(secret);
  });

  it('reports a failed apply, without the sensitive values in the reason', async () => {
    const { request } = await planAndRequest({ scenario: 'apply-error' });
    const { error } = await applyRequest(request.requestId, 'apply-error');
    expect(error?.message).toContain('DBInstanceAlreadyExists');
    expect(
      client.calls.find(c => c.method === 'reportStatus')!.body,
    ).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining(
        'terraform apply failed with exit code 1:\n\nError: creating RDS DB Instance',
      ),
    });
    expect(client.requests.get(request.requestId)!.state).toBe('failed');
  });

  it('refuses without a grant when the request waits for approval, applying nothing', async () => {
    const { request } = await planAndRequest({
      stages: [{ name: 'team-lead', groups: ['group:default/team-a-leads'] }],
    });
    expect(request.approved).toBe(false);
    expect(request.message).toContain('waits for approval (team-lead)');
    const { error } = await applyRequest(request.requestId);
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain('No grant to redeem');
    expect(await commands()).not.toContain('apply');
    expect(client.calls.some(c => c.method === 'redeemGrant')).toBe(false);
  });

  it('without a saved plan, re-plans and refuses when that differs from the approved plan, listing the differences', async () => {
    const { request } = await planAndRequest();
    await fs.rm(join(workspacePath(), 'terraform', 'self-service.tfplan'));
    await fs.writeFile(
      join(workspacePath(), 'terraform', '.standin-scenario'),
      'create-drifted',
    );
    const { error, outputs } = await applyRequest(request.requestId);
    expect(error?.name).toBe('ConflictError');
    expect(error?.message).toBe(
      'The plan differs from the approved plan, so nothing was applied:\n- aws_db_instance.this: instance_class approved "db.t4g.small", now "db.m6g.large"',
    );
    expect(outputs.differences).toHaveLength(1);
    expect(await commands()).not.toContain('apply');
    expect(client.calls.some(c => c.method === 'redeemGrant')).toBe(false);
    // the request is marked failed, saying why
    expect(client.calls.find(c => c.method === 'reportStatus')!.body).toEqual({
      id: request.requestId,
      state: 'failed',
      taskId: 'task-1',
      reason:
        'plan drifted: aws_db_instance.this: instance_class approved "db.t4g.small", now "db.m6g.large"',
    });
  });

  it('refuses a launched run whose plan (made now, against the live module) differs from the approved one', async () => {
    const { request } = await planAndRequest({
      stages: [{ name: 'team-lead', groups: ['group:default/team-a-leads'] }],
    });
    client.requests.get(request.requestId)!.state = 'approved';
    const grant = client.mintGrant(request.requestId, 'task-launched');
    const launched = ctxOptions({
      taskId: 'task-launched',
      secrets: {
        selfServiceRequestId: request.requestId,
        selfServiceGrantToken: grant.token,
      },
      workspacePath: dir.resolve('workspace-drift'),
    });
    // The module changed after approval: the launched run's plan step sees it.
    const replan = await runAction(
      createTerraformPlanAction(options('create-drifted')),
      { module: './module', variables, tags },
      launched,
    );
    expect(replan.error).toBeUndefined();
    const { error } = await runAction(
      createTerraformApplyAction(options('create-drifted')),
      { parameters },
      launched,
    );
    expect(error?.name).toBe('ConflictError');
    expect(error?.message).toContain(
      'instance_class approved "db.t4g.small", now "db.m6g.large"',
    );
    expect(await commands()).not.toContain('apply');
    expect(grant.used).toBe(false);
  });

  it('refuses when the parameters are not the approved ones (the backend rejects the grant)', async () => {
    const { request } = await planAndRequest();
    const { error } = await runAction(
      createTerraformApplyAction(options()),
      {
        parameters: { ...parameters, storage_gb: 500 },
        requestId: request.requestId,
      },
      ctxOptions(),
    );
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain(
      'could not be redeemed, so nothing was applied: no matching unused grant',
    );
    expect(await commands()).not.toContain('apply');
  });

  it('refuses a grant redeemed from another task (a stolen token)', async () => {
    const { request } = await planAndRequest();
    const grant = client.grants[0];
    const { error } = await runAction(
      createTerraformApplyAction(options()),
      { parameters, requestId: request.requestId, grantToken: grant.token },
      ctxOptions({ taskId: 'task-other', workspacePath: workspacePath() }),
    );
    // The backend's check refuses it before Terraform reads the plan back.
    expect(error?.message).toContain('was refused, so no Terraform command was run');
    expect(error?.message).toContain('taskId');
    expect(await commands()).not.toContain('apply');
  });

  it('applies in a task the backend launched after approval, with the grant from the task secrets', async () => {
    // phase 1 (task-1): needs approval
    const { request } = await planAndRequest({
      stages: [{ name: 'team-lead', groups: ['group:default/team-a-leads'] }],
    });
    // approval: the backend mints a grant bound to the task it launches
    client.requests.get(request.requestId)!.state = 'approved';
    const grant = client.mintGrant(request.requestId, 'task-launched');
    const secrets = {
      selfServiceRequestId: request.requestId,
      selfServiceGrantToken: grant.token,
    };
    const launched = ctxOptions({
      taskId: 'task-launched',
      secrets,
      workspacePath: dir.resolve('workspace-2'),
    });
    // phase 2: the same template runs again; the request key keeps the state and tags of phase 1
    const replan = await runAction(
      createTerraformPlanAction(options()),
      { module: './module', variables, tags },
      launched,
    );
    expect(replan.error).toBeUndefined();
    const requestStep = await runAction(
      createRequestAction({
        client,
        auth: mockAuth(),
        appBaseUrl: 'http://localhost:3000',
      }),
      {
        parameters,
        team: 'group:default/team-a',
        environment: 'dev',
        cost: replan.outputs.cost,
      },
      launched,
    );
    expect(requestStep.outputs).toMatchObject({
      approved: true,
      requestId: request.requestId,
    });
    expect(client.calls.filter(c => c.method === 'createRequest')).toHaveLength(
      1,
    );
    const { error, outputs } = await runAction(
      createTerraformApplyAction(options()),
      { parameters },
      launched,
    );
    expect(error).toBeUndefined();
    expect(outputs.requestId).toBe(request.requestId);
    expect(client.grants.find(g => g.token === grant.token)!.used).toBe(true);
  });

  it('refuses a launched task whose secret token is not the grant', async () => {
    const { request } = await planAndRequest({
      stages: [{ name: 'team-lead', groups: ['group:default/team-a-leads'] }],
    });
    client.mintGrant(request.requestId, 'task-1');
    const { error } = await runAction(
      createTerraformApplyAction(options()),
      { parameters },
      ctxOptions({
        secrets: {
          selfServiceRequestId: request.requestId,
          selfServiceGrantToken: 'forged-token-forged-token',
        },
      }),
    );
    expect(error?.message).toContain('was refused, so no Terraform command was run');
    expect(error?.message).toContain('token:');
    expect(await commands()).not.toContain('apply');
  });

  it('needs the plan step first', async () => {
    const { error } = await runAction(
      createTerraformApplyAction(options()),
      { parameters },
      ctxOptions(),
    );
    expect(error?.message).toBe(
      'terraform:apply needs terraform:plan to have run earlier in this task',
    );
  });

  it('keeps sensitive outputs out of the outputs and the log', async () => {
    const secret = 'Form-Secret-1a2b3c4d';
    const { plan, logs } = await planAndRequest({
      scenario: 'sensitive',
      secret,
      bindPlanFile: false,
    });
    const { outputs, error, log } = await runAction(
      createTerraformApplyAction(options('sensitive')),
      { parameters },
      ctxOptions({ templateInfo: templateInfo('terraform-data') }),
    );
    expect(error).toBeUndefined();
    expect(outputs.outputs).toEqual({ name: { name: 'orders-db', tags } });
    // reported flattened to scalars, still without the secret
    expect(
      client.calls.find(c => c.method === 'reportStatus')!.body,
    ).toMatchObject({
      state: 'succeeded',
      outputs: {
        name_name: 'orders-db',
        name_tags_team: 'team-a',
        'name_tags_request-key': 'task-1',
      },
    });
    for (const text of [
      log,
      logs.plan,
      logs.request,
      JSON.stringify(outputs),
      JSON.stringify(plan),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('example parses and applies', async () => {
    const step = parseYaml(examples[0].example).steps[0];
    expect(step.action).toBe('terraform:apply');
    const { request } = await planAndRequest();
    const { error } = await runAction(
      createTerraformApplyAction(options()),
      { ...step.input, parameters, requestId: request.requestId },
      ctxOptions(),
    );
    expect(error).toBeUndefined();
  });
});
