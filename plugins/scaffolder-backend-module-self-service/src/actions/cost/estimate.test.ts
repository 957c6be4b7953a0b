import { createMockDirectory } from '@backstage/backend-test-utils';
import { parsePriceBook } from '@internal/plugin-self-service-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runAction } from '../../__testUtils__/runAction';
import { FIXTURES } from '../../__testUtils__/terraform';
import { createCostEstimateAction } from './estimate';
import { examples } from './estimate.examples';

const book = parsePriceBook(`
version: '7'
templates:
  postgres-database:
    components:
      - { name: instance, by: instance_size, hourly: { small: 0.032 } }
      - { name: storage, per: storage_gb, monthly: 0.115 }
resources:
  test_instance: { free: true }
`);

describe('self-service:cost:estimate', () => {
  const dir = createMockDirectory();
  const action = createCostEstimateAction({
    priceBook: { load: async () => book },
  });

  it("prices the running template's parameters", async () => {
    const { outputs, error } = await runAction(action, {
      parameters: { instance_size: 'small', storage_gb: 100 },
    });
    expect(error).toBeUndefined();
    expect(outputs.monthlyTotal).toBe(34.86);
    expect(outputs.cost.lines).toEqual([
      {
        item: 'postgres-database',
        monthly: 23.36,
        detail: 'instance: instance_size=small 0.032/hour x 730 h',
      },
      {
        item: 'postgres-database',
        monthly: 11.5,
        detail: 'storage: 0.115/month x 100',
      },
    ]);
  });

  it('lists what it cannot price instead of counting it as zero', async () => {
    const { outputs } = await runAction(action, {
      parameters: { instance_size: 'huge' },
    });
    expect(outputs.unpriced).toEqual([
      'postgres-database (instance)',
      'postgres-database (storage)',
    ]);
    expect(outputs.monthlyTotal).toBe(0);
  });

  it('prices a saved plan in the workspace, refusing paths outside it', async () => {
    dir.setContent({
      'plan.json': readFileSync(
        resolve(FIXTURES, 'plans/opentofu/basic-create.json'),
        'utf8',
      ),
    });
    const { outputs } = await runAction(
      action,
      { planJsonPath: 'plan.json' },
      { workspacePath: dir.path },
    );
    expect(outputs.cost).toMatchObject({
      monthlyTotal: 0,
      unpriced: [],
      deltaMonthly: 0,
    });
    expect(outputs.cost.lines).toHaveLength(3);
    const outside = await runAction(
      action,
      { planJsonPath: '../../etc/passwd' },
      { workspacePath: dir.path },
    );
    expect(outside.error?.name).toBe('NotAllowedError');
  });

  it('needs a price book', async () => {
    const { error } = await runAction(createCostEstimateAction({}), {
      parameters: {},
    });
    expect(error?.message).toBe(
      'No price book is configured (selfService.priceBook.path)',
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example parses: %s',
    async (_d, example) => {
      const step = parseYaml(example).steps[0];
      expect(step.action).toBe('self-service:cost:estimate');
      dir.setContent({
        'plan.json': readFileSync(
          resolve(FIXTURES, 'plans/opentofu/basic-create.json'),
          'utf8',
        ),
      });
      const input = {
        ...step.input,
        ...(step.input.parameters
          ? { parameters: { instance_size: 'small', storage_gb: 10 } }
          : {}),
      };
      const { error } = await runAction(action, input, {
        workspacePath: dir.path,
      });
      expect(error).toBeUndefined();
    },
  );
});
