import { hashPlanSummary } from '@internal/plugin-self-service-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateLargePlan } from '../__testUtils__/largePlan';
import { FIXTURES } from '../__testUtils__/terraform';
import {
  collectSensitiveValues,
  summarizePlan,
  toPlanAction,
} from './planSummary';

const load = (path: string) =>
  JSON.parse(readFileSync(resolve(FIXTURES, path), 'utf8'));

describe('summarizePlan', () => {
  it('summarises count addresses and unknown values (OpenTofu basic-create)', () => {
    const summary = summarizePlan(load('plans/opentofu/basic-create.json'));
    expect(summary.counts).toEqual({
      create: 3,
      update: 0,
      delete: 0,
      replace: 0,
    });
    expect(summary.resources.map(r => r.address)).toEqual([
      'test_instance.test[0]',
      'test_instance.test[1]',
      'test_instance.test[2]',
    ]);
    expect(summary.resources[0]).toEqual({
      address: 'test_instance.test[0]',
      type: 'test_instance',
      name: 'test',
      mode: 'managed',
      action: 'create',
      changes: [
        { path: 'ami', after: 'bar' },
        { path: 'id', afterUnknown: true },
      ],
    });
  });

  it('summarises child modules (OpenTofu modules)', () => {
    const summary = summarizePlan(load('plans/opentofu/modules.json'));
    expect(summary.resources.map(r => [r.moduleAddress, r.address])).toEqual([
      ['module.module_test_bar', 'module.module_test_bar.test_instance.test'],
      [
        'module.module_test_foo',
        'module.module_test_foo.test_instance.test[0]',
      ],
      [
        'module.module_test_foo',
        'module.module_test_foo.test_instance.test[1]',
      ],
      [
        'module.module_test_foo',
        'module.module_test_foo.test_instance.test[2]',
      ],
    ]);
  });

  it('summarises update, delete with its reason, no-op and replace (OpenTofu)', () => {
    const updateDelete = summarizePlan(
      load('plans/opentofu/update-and-delete.json'),
    );
    expect(updateDelete.resources).toEqual([
      expect.objectContaining({
        action: 'update',
        changes: [{ path: 'ami', before: 'foo', after: 'bar' }],
      }),
      expect.objectContaining({
        action: 'delete',
        reason: 'delete_because_no_resource_config',
        changes: [
          { path: 'ami', before: 'foo' },
          { path: 'id', before: 'placeholder' },
        ],
      }),
    ]);
    expect(
      summarizePlan(load('plans/opentofu/no-op.json')).resources[0],
    ).toMatchObject({ action: 'no-op', changes: [] });
    const replace = summarizePlan(load('plans/opentofu/requires-replace.json'));
    expect(replace.counts).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      replace: 1,
    });
    expect(replace.resources[0]).toMatchObject({
      action: 'replace',
      reason: 'replace_because_cannot_update',
      changes: [
        {
          path: 'ami',
          before: 'bar',
          after: 'force-replace',
          forcesReplacement: true,
        },
        { path: 'id', before: 'placeholder', afterUnknown: true },
      ],
    });
  });

  describe('a plan with modules, for_each, data sources, drift and sensitive values', () => {
    const plan = load('plans/complex.json');
    const summary = summarizePlan(plan);
    const byAddress = (a: string) =>
      summary.resources.find(r => r.address === a)!;

    it('keeps every address form and action', () => {
      expect(summary.resources.map(r => [r.address, r.mode, r.action])).toEqual(
        [
          ['data.aws_caller_identity.current', 'data', 'read'],
          ['module.queues.aws_sqs_queue.this["orders"]', 'managed', 'create'],
          ['module.queues.aws_sqs_queue.this["billing"]', 'managed', 'no-op'],
          ['module.db.aws_db_instance.this[0]', 'managed', 'update'],
          ['module.db.aws_db_instance.this[1]', 'managed', 'replace'],
          ['aws_kms_key.old', 'managed', 'delete'],
          ['aws_s3_bucket.logs (deposed 00000001)', 'managed', 'delete'],
          ['aws_secretsmanager_secret_version.db', 'managed', 'create'],
          ['aws_iam_policy.big', 'managed', 'create'],
        ],
      );
      expect(summary.counts).toEqual({
        create: 3,
        update: 1,
        delete: 2,
        replace: 1,
      });
      expect(byAddress('data.aws_caller_identity.current')).toMatchObject({
        changes: [],
        reason: 'read_because_dependency_pending',
      });
    });

    it('lists only changed attributes of an update, with nested paths, and redacts sensitive ones', () => {
      expect(byAddress('module.db.aws_db_instance.this[0]').changes).toEqual([
        { path: 'allocated_storage', before: 50, after: 100 },
        {
          path: 'password',
          before: '(sensitive)',
          after: '(sensitive)',
          sensitive: true,
        },
        { path: 'parameters[0].value', before: '100', after: '200' },
      ]);
      expect(
        byAddress('module.queues.aws_sqs_queue.this["orders"]').changes,
      ).toContainEqual({
        path: 'tags["kubernetes.io/role"]',
        after: 'worker',
      });
      expect(byAddress('module.db.aws_db_instance.this[1]').changes).toEqual([
        {
          path: 'identifier',
          before: 'old',
          after: 'new',
          forcesReplacement: true,
        },
        { path: 'endpoint', afterUnknown: true },
      ]);
    });

    it('never lets a sensitive value into the summary', () => {
      const text = JSON.stringify(summary);
      for (const secret of [
        'OldSecret-aaaa1111',
        'NewSecret-bbbb2222',
        'WholeValueSecret-cccc3333',
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(
        byAddress('aws_secretsmanager_secret_version.db').changes,
      ).toContainEqual({
        path: 'secret_string',
        after: '(sensitive)',
        sensitive: true,
      });
    });

    it('collects the sensitive values for redaction', () => {
      expect(collectSensitiveValues(plan)).toEqual(
        expect.arrayContaining([
          'NewSecret-bbbb2222',
          'OldSecret-aaaa1111',
          '{"password":"WholeValueSecret-cccc3333"}',
        ]),
      );
      expect(collectSensitiveValues(plan)).not.toContain('us-east-1');
    });

    it('summarises resource drift', () => {
      expect(summary.drift).toEqual([
        expect.objectContaining({
          address: 'module.db.aws_db_instance.this[0]',
          action: 'update',
          changes: [{ path: 'backup_retention_period', before: 7, after: 0 }],
        }),
        expect.objectContaining({
          address: 'aws_s3_bucket.manual',
          action: 'delete',
        }),
      ]);
    });

    it('shortens long values for display but keeps them distinguishable', () => {
      const [change] = byAddress('aws_iam_policy.big').changes;
      expect(String(change.after).length).toBeLessThan(1100);
      expect(change.after).toMatch(
        /\.\.\. \(5000 characters, sha256 [0-9a-f]{16}\)$/,
      );
    });
  });

  it('maps Terraform action lists', () => {
    expect(toPlanAction(['create', 'delete'])).toBe('replace');
    expect(toPlanAction(['delete', 'create'])).toBe('replace');
    expect(toPlanAction(['forget'])).toBe('forget');
    expect(toPlanAction(['no-op'], true)).toBe('import');
    expect(toPlanAction(['update'], true)).toBe('update');
  });

  it('rejects what is not a plan', () => {
    expect(() => summarizePlan({} as any)).toThrow('not a Terraform plan');
  });

  it('reads a 10,000-resource plan, and its hash depends on the change set only', () => {
    const plan = generateLargePlan(10_000);
    const started = Date.now();
    const summary = summarizePlan(plan);
    const hash = hashPlanSummary(summary);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(summary.resources).toHaveLength(10_000);
    expect(summary.counts).toEqual({
      create: 1667,
      update: 1667,
      replace: 1667,
      delete: 1667,
    });
    expect(JSON.stringify(summary)).not.toContain('secret-1-value');
    // same change set, different order and no-op/read entries: same hash
    const reordered = {
      ...plan,
      resource_changes: [...plan.resource_changes!].reverse(),
    };
    expect(hashPlanSummary(summarizePlan(reordered))).toBe(hash);
    const changed = generateLargePlan(10_000);
    (changed.resource_changes![1].change.after as any).allocated_storage += 1;
    expect(hashPlanSummary(summarizePlan(changed))).not.toBe(hash);
  });
});
