import { SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { createMockDirectory } from '@backstage/backend-test-utils';
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
import { createTerraformDestroyAction } from './destroy';
import { createTerraformPlanAction } from './plan';
import { examples } from './destroy.examples';

const parameters = {
  name: 'orders-db',
  instance_size: 'small',
  storage_gb: 50,
  environment: 'dev',
};
const REQUEST_ID = '6a4f0e5e-2b1c-4d3e-8f9a-0b1c2d3e4f5a';

describe('terraform:destroy', () => {
  const dir = createMockDirectory();
  let record: string;
  let client: FakeSelfServiceClient;

  beforeEach(() => {
    dir.clear();
    record = dir.resolve('calls.jsonl');
    client = new FakeSelfServiceClient();
    client.requests.set(REQUEST_ID, {
      id: REQUEST_ID,
      templateRef: 'template:default/postgres-database',
      team: 'group:default/team-a',
      parameters,
      taskIds: ['task-original', 'task-apply'],
      // The backend started the tear-down, minted the grant and launched.
      state: 'destroying',
    } as any);
  });

  const action = (scenario: string) =>
    createTerraformDestroyAction({
      runner: standinRunner({ scenario, record }),
      config: terraformConfig(dir.path),
      client,
      auth: mockAuth(),
    });
  const launched = (token: string) => ({
    workspacePath: dir.resolve('workspace'),
    templateInfo: templateInfo('postgres'),
    taskId: 'task-destroy',
    secrets: {
      selfServiceRequestId: REQUEST_ID,
      selfServiceGrantToken: token,
      selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
    },
  });
  const input = { module: './module', parameters, variables: parameters };

  it("destroys the request's resources, using the state key of the task that created it", async () => {
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const { outputs, error, log } = await runAction(
      action('delete'),
      input,
      launched(grant.token),
    );
    expect(error).toBeUndefined();
    const calls = await readCalls(record);
    expect(calls.map(c => c.argv[0])).toEqual([
      'init',
      'plan',
      'show',
      'apply',
    ]);
    expect(calls[0].argv).toContain(
      `-backend-config=path=${join(dir.path, 'state', 'team-a', 'postgres-database', 'task-original', 'terraform.tfstate')}`,
    );
    expect(calls[1].argv).toContain('-destroy');
    expect(outputs.destroyed).toBe(2);
    expect(
      outputs.planSummary.resources.every((r: any) => r.action === 'delete'),
    ).toBe(true);
    expect(JSON.stringify(outputs)).not.toContain('Pw-Known-Only-In-State');
    expect(log).toContain('Destruction complete after 3m1s');
    expect(grant.used).toBe(true);
    expect(
      client.calls
        .filter(c => c.method === 'reportStatus')
        .map(c => (c.body as any).state),
    ).toEqual(['destroyed']);
    expect(
      client.calls.find(c => c.method === 'redeemGrant')!.body,
    ).toMatchObject({ purpose: 'destroy', taskId: 'task-destroy' });
    expect(client.requests.get(REQUEST_ID)!.state).toBe('destroyed');
  });

  it('destroys what a create run made (the stand-in turns the recorded create plan around)', async () => {
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const { outputs, error, log } = await runAction(
      action('create'),
      input,
      launched(grant.token),
    );
    expect(error).toBeUndefined();
    expect(
      outputs.planSummary.resources.map((r: any) => [r.address, r.action]),
    ).toEqual([
      ['aws_db_instance.this', 'delete'],
      ['random_password.master', 'delete'],
    ]);
    expect(outputs.destroyed).toBe(2);
    expect(log).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(log).not.toContain('Creating...');
  });

  it('refuses a destroy plan that would create or change anything', async () => {
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const { error } = await runAction(
      action('destroy-creates'),
      input,
      launched(grant.token),
    );
    expect(error?.message).toBe(
      'The destroy plan would also create aws_db_instance.this, create random_password.master; nothing was destroyed',
    );
    expect((await readCalls(record)).map(c => c.argv[0])).not.toContain(
      'apply',
    );
    expect(grant.used).toBe(false);
  });

  it('refuses an apply grant, and a destroy grant unless the request is destroying', async () => {
    const applyGrant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: 'a'.repeat(64),
    });
    const withApplyGrant = await runAction(
      action('delete'),
      input,
      launched(applyGrant.token),
    );
    expect(withApplyGrant.error?.name).toBe('NotAllowedError');
    expect(applyGrant.used).toBe(false);

    client.requests.get(REQUEST_ID)!.state = 'succeeded';
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const notStarted = await runAction(
      action('delete'),
      input,
      launched(grant.token),
    );
    // The backend's check refuses both before any Terraform command.
    expect(notStarted.error?.message).toContain(
      'is succeeded; its destroy grant cannot be redeemed',
    );
    expect(grant.used).toBe(false);
    expect(await readCalls(record)).toEqual([]);
  });

  it('uses the directory terraform:plan prepared in this task when no module is given', async () => {
    // The template's tear-down run: plan keyed by the request's tags, then destroy.
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const plan = await runAction(
      createTerraformPlanAction({
        runner: standinRunner({ scenario: 'delete', record }),
        config: terraformConfig(dir.path),
        client,
        auth: mockAuth(),
      }),
      {
        module: './module',
        variables: parameters,
        tags: { team: 'team-a', 'request-key': 'task-original' },
      },
      launched(grant.token),
    );
    expect(plan.error).toBeUndefined();
    const { outputs, error } = await runAction(
      action('delete'),
      { parameters },
      launched(grant.token),
    );
    expect(error).toBeUndefined();
    expect(outputs.destroyed).toBe(2);
    const calls = await readCalls(record);
    expect(calls[0].argv).toContain(
      `-backend-config=path=${join(dir.path, 'state', 'team-a', 'postgres-database', 'task-original', 'terraform.tfstate')}`,
    );
    expect(calls.map(c => c.argv[0]).slice(-3)).toEqual([
      'plan',
      'show',
      'apply',
    ]);
    expect(calls.at(-3)!.argv).toContain('-destroy');
    expect(client.requests.get(REQUEST_ID)!.state).toBe('destroyed');
  });

  it('needs a module or the plan step first', async () => {
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const { error } = await runAction(
      action('delete'),
      { parameters },
      launched(grant.token),
    );
    expect(error?.message).toBe(
      'terraform:destroy needs terraform:plan to have run earlier in this task',
    );
    expect(grant.used).toBe(false);
  });

  it('refuses without a grant, before running Terraform', async () => {
    const { error } = await runAction(action('delete'), input, {
      workspacePath: dir.resolve('workspace'),
      templateInfo: templateInfo('postgres'),
    });
    expect(error?.name).toBe('NotAllowedError');
    expect(await readCalls(record)).toEqual([]);
    await expect(
      fs.access(dir.resolve('workspace/terraform')),
    ).rejects.toThrow();
  });

  it('example parses and runs', async () => {
    const step = parseYaml(examples[0].example).steps[0];
    expect(step.action).toBe('terraform:destroy');
    const grant = client.mintGrant(REQUEST_ID, 'task-destroy', {
      planHash: null,
    });
    const { error } = await runAction(
      action('delete'),
      { ...step.input, parameters, variables: parameters },
      launched(grant.token),
    );
    expect(error).toBeUndefined();
  });
});
