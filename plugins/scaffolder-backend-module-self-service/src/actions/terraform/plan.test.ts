import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  hashPlanSummary,
  parsePriceBook,
} from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runAction } from '../../__testUtils__/runAction';
import {
  readCalls,
  standinRunner,
  templateInfo,
  terraformConfig,
} from '../../__testUtils__/terraform';
import { createTerraformPlanAction } from './plan';
import { examples } from './plan.examples';

const priceBook = parsePriceBook(`
version: test-2
resources:
  aws_db_instance:
    components:
      - name: instance
        by: instance_class
        hourly: { db.t4g.small: 0.032 }
      - name: storage
        per: allocated_storage
        monthly: 0.115
  random_password: { free: true }
`);

const tags = {
  team: 'team-a',
  environment: 'dev',
  'request-key': 'task-1',
  'cost-center': 'CC-1',
};

describe('terraform:plan', () => {
  const dir = createMockDirectory();
  let record: string;

  beforeEach(() => {
    dir.clear();
    record = dir.resolve('calls.jsonl');
  });

  function action(scenario = 'create', extra: { signal?: AbortSignal } = {}) {
    void extra;
    return createTerraformPlanAction({
      runner: standinRunner({ scenario, record }),
      config: terraformConfig(dir.path),
      priceBook: { load: async () => priceBook },
    });
  }

  const run = (
    a: ReturnType<typeof action>,
    input: Record<string, unknown>,
    options: Parameters<typeof runAction>[2] = {},
  ) =>
    runAction(a, input, {
      workspacePath: dir.resolve('workspace'),
      templateInfo: templateInfo('postgres'),
      ...options,
    });

  it('plans the module with state keyed by request and outputs summary, hash and cost', async () => {
    const { outputs, error, log } = await run(action(), {
      module: './module',
      variables: {
        name: 'orders-db',
        instance_size: 'small',
        storage_gb: 100,
        environment: 'dev',
        not_a_variable: 1,
      },
      tags,
    });
    expect(error).toBeUndefined();
    const calls = await readCalls(record);
    expect(calls.map(c => c.argv[0])).toEqual(['init', 'plan', 'show']);
    const state = join(
      dir.path,
      'state',
      'team-a',
      'postgres-database',
      'task-1',
      'terraform.tfstate',
    );
    expect(calls[0].argv).toContain(`-backend-config=path=${state}`);
    expect(calls[0].backendOverride).toEqual({
      terraform: { backend: { local: {} } },
    });
    expect(calls[0].cwd).toBe(dir.resolve('workspace/terraform'));
    expect(calls[1].tfvars).toEqual({
      name: 'orders-db',
      instance_size: 'small',
      storage_gb: 100,
      environment: 'dev',
      tags,
    });
    expect(log).toContain(
      'not declared by the module, so not passed: not_a_variable',
    );

    expect(outputs.planSummary.counts).toEqual({
      create: 2,
      update: 0,
      delete: 0,
      replace: 0,
    });
    expect(outputs.planSummary.resources[0].changes).toContainEqual({
      path: 'identifier',
      after: 'orders-db',
    });
    expect(outputs.planHash).toBe(hashPlanSummary(outputs.planSummary));
    expect(outputs.cost).toMatchObject({
      monthlyTotal: 34.86, // 0.032 x 730 + 100 GB x 0.115
      unpriced: [],
      priceBookVersion: 'test-2',
    });
    expect(outputs.hasChanges).toBe(true);
    expect(outputs.workingDirectory).toBe('terraform');
    expect(log).toContain('aws_db_instance.this: Plan to create');
  });

  it.each([
    ['quotes and template syntax', 'a"b\'c ${var.x} %{ if true }x%{ endif }'],
    ['command substitution', '$(rm -rf /) `id`; echo pwned'],
    ['newlines', 'line1\nline2\r\n  variable "x" {}'],
    ['path segments', '../../../etc/passwd'],
  ])('passes %s only as a JSON value', async (_what, value) => {
    const { error } = await run(action(), {
      module: './module',
      variables: {
        name: value,
        instance_size: 'small',
        storage_gb: 20,
        environment: 'dev',
      },
      tags: { ...tags, team: 'team-a' },
    });
    expect(error).toBeUndefined();
    const calls = await readCalls(record);
    // the value is in the tfvars JSON, unchanged, and nowhere on any command line
    expect(calls[1].tfvars.name).toBe(value);
    for (const call of calls) {
      expect(call.argv.join('\n')).not.toContain(value);
      expect(call.cwd).toBe(dir.resolve('workspace/terraform'));
    }
    const written = await fs.readFile(
      dir.resolve('workspace/terraform/self-service.auto.tfvars.json'),
      'utf8',
    );
    expect(JSON.parse(written).name).toBe(value);
    const tfFiles = (
      await fs.readdir(dir.resolve('workspace/terraform'))
    ).filter(f => f.endsWith('.tf'));
    for (const f of tfFiles) {
      expect(
        await fs.readFile(dir.resolve(`workspace/terraform/${f}`), 'utf8'),
      ).not.toContain(value);
    }
  });

  it.each([
    ['a sibling template (which exists)', '../terraform-data/module'],
    ['a parent directory', '../../templates'],
    ['an absolute path', '/etc'],
    ['a URL', 'https://example.com/module.zip'],
  ])('refuses a module in %s', async (_what, module) => {
    const { error } = await run(action(), { module, tags });
    expect(error?.name).toMatch(/NotAllowedError|InputError/);
    expect(error?.message).toMatch(
      /outside the template's directory|relative to the template's directory/,
    );
    expect(await readCalls(record)).toEqual([]);
  });

  it('refuses a module that links outside the template directory', async () => {
    dir.setContent({
      'template/template.yaml': 'kind: Template',
      'template/module/main.tf': 'variable "name" {}',
      'secret.txt': 'outside',
    });
    await fs.symlink(
      dir.resolve('secret.txt'),
      dir.resolve('template/module/leak.tf'),
    );
    const { error } = await run(
      action(),
      { module: './module', tags },
      {
        templateInfo: {
          entityRef: 'template:default/x',
          baseUrl: pathToFileURL(dir.resolve('template/template.yaml')).href,
        },
      },
    );
    expect(error?.message).toBe('module file leak.tf links outside the module');
  });

  it.each([
    ['requestKey', { requestKey: '../../other-team' }],
    ['team', { team: 'group:default/..' }],
    ['workingDirectory', { workingDirectory: '../../outside' }],
  ])(
    'refuses a %s that would leave the state or workspace directory',
    async (_what, patch) => {
      const { error } = await run(action(), {
        module: './module',
        tags,
        ...patch,
      });
      expect(error?.name).toBe('InputError');
      expect(await readCalls(record)).toEqual([]);
    },
  );

  it('keeps sensitive values out of the log, the summary and the outputs', async () => {
    const secret = 'Form-Secret-9f8e7d6c';
    const { outputs, error, log } = await run(
      action('sensitive-leaky'),
      {
        module: './module',
        variables: { name: 'orders-db', password: secret },
        tags,
      },
      { templateInfo: templateInfo('terraform-data') },
    );
    expect(error).toBeUndefined();
    // the stand-in replayed a warning whose detail is the secret: it is redacted
    expect(log).toContain(
      'warn: Warning: Value echoed by provider: (sensitive)',
    );
    expect(log).not.toContain(secret);
    expect(JSON.stringify(outputs)).not.toContain(secret);
    expect(
      outputs.planSummary.resources.find(
        (r: any) => r.address === 'terraform_data.secret',
      ).changes,
    ).toContainEqual({
      path: 'input',
      after: '(sensitive)',
      sensitive: true,
    });
    // Terraform itself did receive it, as a JSON value
    expect((await readCalls(record))[1].tfvars.password).toBe(secret);
  });

  it('fails with the diagnostics when the plan fails', async () => {
    const { error, outputs } = await run(action('plan-error'), {
      module: './module',
      tags,
    });
    expect(error?.name).toBe('TerraformCommandError');
    expect(error?.message).toContain(
      'Duplicate resource "terraform_data" configuration',
    );
    expect(outputs.planHash).toBeUndefined();
  });

  it('stops Terraform when the task is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const { error } = await run(
      action('slow'),
      { module: './module', tags },
      { signal: controller.signal },
    );
    expect(error?.message).toBe('terraform plan was cancelled');
    expect((await readCalls(record)).some(c => c.signal === 'SIGTERM')).toBe(
      true,
    );
  });

  it('lists resources the price book does not know as unpriced', async () => {
    const a = createTerraformPlanAction({
      runner: standinRunner({ scenario: 'create', record }),
      config: terraformConfig(dir.path),
    });
    const { outputs } = await run(a, { module: './module', tags });
    expect(outputs.cost.unpriced).toEqual([
      'aws_db_instance.this',
      'random_password.master',
    ]);
    expect(outputs.cost.monthlyTotal).toBe(0);
  });

  it('example parses and plans', async () => {
    const step = parseYaml(examples[0].example).steps[0];
    expect(step.action).toBe('terraform:plan');
    const input = {
      ...step.input,
      tags,
      team: 'group:default/team-a',
      requestKey: 'task-1',
    };
    input.variables = { name: 'db', instance_size: 'small', storage_gb: 20 };
    const { error, outputs } = await run(action(), input);
    expect(error).toBeUndefined();
    expect(outputs.planHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
