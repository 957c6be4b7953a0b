import type { TerraformPlanJson } from '../extensions/terraformJson';
import { parsePriceBook } from './priceBook';
import { pricePlan } from './pricePlan';

const book = parsePriceBook(`
version: p1
resources:
  aws_db_instance:
    components:
      - { name: instance, by: instance_class, hourly: { db.small: 0.1, db.large: 0.4 } }
      - { name: storage, per: allocated_storage, unit: GB, monthly: 0.1 }
      - { name: standby, when: { multi_az: true }, by: instance_class, hourly: { db.small: 0.1, db.large: 0.4 } }
  aws_kms_key:
    components:
      - { name: key, monthly: 1 }
  random_password: { free: true }
`);

const change = (
  address: string,
  type: string,
  actions: string[],
  before: unknown,
  after: unknown,
  extra: object = {},
) => ({
  address,
  mode: 'managed' as const,
  type,
  name: address.split('.')[1],
  change: {
    actions,
    before,
    after,
    after_unknown: {},
    after_sensitive: {},
    before_sensitive: {},
    ...extra,
  },
});

describe('pricePlan', () => {
  const db = {
    instance_class: 'db.small',
    allocated_storage: 100,
    multi_az: false,
  };

  it('prices creates, updates, no-ops and deletes, with the monthly delta', () => {
    const plan: TerraformPlanJson = {
      format_version: '1.2',
      resource_changes: [
        change('aws_db_instance.new', 'aws_db_instance', ['create'], null, db),
        change('aws_db_instance.grow', 'aws_db_instance', ['update'], db, {
          ...db,
          instance_class: 'db.large',
          multi_az: true,
        }),
        change('aws_kms_key.same', 'aws_kms_key', ['no-op'], {}, {}),
        change('aws_kms_key.gone', 'aws_kms_key', ['delete'], {}, null),
        change('random_password.pw', 'random_password', ['create'], null, {
          length: 32,
        }),
        {
          ...change('data.aws_ami.x', 'aws_ami', ['read'], null, {}),
          mode: 'data' as const,
        },
      ],
    };
    const estimate = pricePlan(book, plan);
    // new: 73 + 10; grow: 292 + 10 + 292 standby; same: 1; pw: 0
    expect(estimate.monthlyTotal).toBe(678);
    // before: grow 83, same 1, gone 1 -> 85
    expect(estimate.deltaMonthly).toBe(593);
    expect(estimate.unpriced).toEqual([]);
    expect(
      estimate.lines
        .filter(l => l.item === 'aws_db_instance.grow')
        .map(l => l.detail),
    ).toEqual([
      'instance: instance_class=db.large 0.4/hour x 730 h',
      'storage: 0.1/month x 100 GB',
      'standby: instance_class=db.large 0.4/hour x 730 h',
    ]);
    expect(estimate.lines.find(l => l.item === 'aws_kms_key.gone')).toEqual({
      item: 'aws_kms_key.gone',
      resourceType: 'aws_kms_key',
      monthly: 0,
      detail: 'deleted',
    });
    expect(estimate.lines.some(l => l.item.startsWith('data.'))).toBe(false);
  });

  it('lists unknown resource types and values known only after apply as unpriced', () => {
    const plan: TerraformPlanJson = {
      format_version: '1.2',
      resource_changes: [
        change(
          'aws_lambda_function.f',
          'aws_lambda_function',
          ['create'],
          null,
          {},
        ),
        change(
          'aws_db_instance.db',
          'aws_db_instance',
          ['create'],
          null,
          { instance_class: 'db.small' },
          {
            after_unknown: { allocated_storage: true, multi_az: true },
          },
        ),
      ],
    };
    const estimate = pricePlan(book, plan);
    expect(estimate.unpriced).toEqual([
      'aws_lambda_function.f',
      'aws_db_instance.db (storage)',
      'aws_db_instance.db (standby)',
    ]);
    expect(estimate.lines[0]).toEqual({
      item: 'aws_lambda_function.f',
      resourceType: 'aws_lambda_function',
      monthly: null,
      detail: 'resource type aws_lambda_function is not in the price book',
    });
    expect(
      estimate.lines.find(l => l.detail?.startsWith('storage'))!.detail,
    ).toBe('storage: allocated_storage is known only after apply');
    expect(estimate.monthlyTotal).toBe(73);
  });

  it('never shows a sensitive attribute value in a line', () => {
    const plan: TerraformPlanJson = {
      format_version: '1.2',
      resource_changes: [
        change(
          'aws_db_instance.db',
          'aws_db_instance',
          ['create'],
          null,
          { ...db, instance_class: 'db.large' },
          {
            after_sensitive: { instance_class: true },
          },
        ),
      ],
    };
    const text = JSON.stringify(pricePlan(book, plan));
    expect(text).toContain('instance_class=(sensitive)');
    expect(text).not.toContain('db.large');
  });
});
