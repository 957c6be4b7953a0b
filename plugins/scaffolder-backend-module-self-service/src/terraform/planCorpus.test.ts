import { createMockDirectory } from '@backstage/backend-test-utils';
import { planSummarySchema } from '@internal/plugin-self-service-common';
import {
  canonicalJson,
  hashPlanSummary,
  planHashInput,
  TerraformPlanJson,
} from '@internal/plugin-self-service-node';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAction } from '../__testUtils__/runAction';
import {
  FIXTURES,
  STANDIN,
  templateInfo,
  terraformConfig,
} from '../__testUtils__/terraform';
import { createTerraformPlanAction } from '../actions/terraform/plan';
import { LocalTerraformRunner } from './LocalTerraformRunner';
import {
  collectSensitiveValues,
  describePlanCounts,
  planHasChanges,
  summarizePlan,
} from './planSummary';
import { Redactor } from './redaction';

const CORPUS = resolve(FIXTURES, 'plans', 'corpus');
const SHARED = resolve(FIXTURES, 'plans', 'opentofu');

function loadDir(dir: string, label: string) {
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => ({
      name: `${label}/${f.replace(/\.json$/, '')}`,
      plan: JSON.parse(readFileSync(join(dir, f), 'utf8')) as TerraformPlanJson,
    }));
}

const cases = [
  ...loadDir(join(CORPUS, 'recorded'), 'recorded'),
  ...loadDir(SHARED, 'shared'),
  {
    name: 'complex',
    plan: JSON.parse(
      readFileSync(resolve(FIXTURES, 'plans', 'complex.json'), 'utf8'),
    ) as TerraformPlanJson,
  },
];
const plans = Object.fromEntries(cases.map(c => [c.name, c.plan]));
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Counts computed here from the actions, independently of the summary. */
function expectedCounts(plan: TerraformPlanJson) {
  const counts: Record<string, number> = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
  };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const a = rc.change.actions.join(',');
    let kind: string | undefined = a;
    if (a === 'delete,create' || a === 'create,delete') kind = 'replace';
    else if (a === 'no-op' || a === 'read') kind = undefined;
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
    if (rc.change.importing) counts.import = (counts.import ?? 0) + 1;
  }
  return counts;
}

/**
 * Replaces every value the plan marks sensitive (by any mirror: change
 * before/after_sensitive, planned and prior values' sensitive_values,
 * sensitive variables and outputs, action config_sensitive) with a unique
 * marker of the same kind: numbers by unique numbers, everything else by
 * unique strings. Then, as real plans hold unmarked copies of sensitive
 * values (terraform_data's output of a sensitive input), every other copy
 * of such a value anywhere in the plan gets the same marker.
 */
function markSensitive(original: TerraformPlanJson) {
  const plan: any = clone(original);
  const markers: string[] = [];
  const byValue = new Map<string, unknown>();
  const next = (value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map(next);
    if (typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value as object).map(([k, v]) => [k, next(v)]),
      );
    const key = JSON.stringify(value);
    if (byValue.has(key)) return byValue.get(key);
    const n = markers.length + 1;
    let m: string | number = `CANARY${n}Z`;
    if (typeof value === 'number') m = 987_650_000 + n * 13;
    markers.push(String(m));
    if (typeof value !== 'boolean') byValue.set(key, m);
    return m;
  };
  const mark = (value: unknown, mirror: unknown): unknown => {
    if (mirror === true) return next(value);
    if (value === null || typeof value !== 'object' || !mirror) return value;
    if (typeof mirror !== 'object') return value;
    if (Array.isArray(value))
      return value.map((v, i) => mark(v, (mirror as any)[i]));
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [
        k,
        mark(v, (mirror as any)[k]),
      ]),
    );
  };
  const change = (c: any) => {
    if (!c) return;
    c.before = mark(c.before, c.before_sensitive);
    c.after = mark(c.after, c.after_sensitive);
  };
  for (const rc of [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? []),
    ...(plan.deferred_changes ?? []).map((d: any) => d.resource_change),
  ])
    change(rc.change);
  for (const c of Object.values<any>(plan.output_changes ?? {})) change(c);
  const modules = (m: any) => {
    if (!m) return;
    for (const r of m.resources ?? [])
      r.values = mark(r.values, r.sensitive_values);
    for (const child of m.child_modules ?? []) modules(child);
  };
  for (const values of [plan.planned_values, plan.prior_state?.values]) {
    modules(values?.root_module);
    for (const o of Object.values<any>(values?.outputs ?? {}))
      if (o.sensitive) o.value = next(o.value);
  }
  const declared = plan.configuration?.root_module?.variables ?? {};
  for (const [name, d] of Object.entries<any>(declared))
    if (d?.sensitive && plan.variables?.[name])
      plan.variables[name].value = next(plan.variables[name].value);
  for (const a of plan.action_invocations ?? [])
    a.config_values = mark(a.config_values, a.config_sensitive);
  const copies = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copies);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, copies(v)]),
      );
    const key = JSON.stringify(value);
    return typeof value !== 'boolean' && byValue.has(key)
      ? byValue.get(key)
      : value;
  };
  return { plan: copies(plan) as TerraformPlanJson, markers };
}

/** A Terraform 1.14 plan invoking a provider action after a create. */
function withActionInvocation(
  token = 'Action-Token-Secret-1',
  url = 'https://hooks.example.com/a',
) {
  const plan = clone(plans['shared/basic-create']) as any;
  plan.action_invocations = [
    {
      address: 'action.http_post.notify',
      type: 'http_post',
      name: 'notify',
      provider_name: 'registry.terraform.io/example/http',
      config_values: { url, token },
      config_sensitive: { token: true },
      config_unknown: {},
      lifecycle_action_trigger: {
        triggering_resource_address: 'test_instance.test[0]',
        action_trigger_event: 'AfterCreate',
        action_trigger_block_index: 0,
        actions_list_index: 0,
      },
    },
  ];
  return plan as TerraformPlanJson;
}

describe('the plan corpus', () => {
  it('holds the cases the issue names', () => {
    expect(Object.keys(plans)).toEqual(
      expect.arrayContaining([
        'recorded/sensitive-values',
        'recorded/moved',
        'recorded/moved-only',
        'recorded/nested-modules',
        'recorded/module-depends-on',
        'recorded/multi-resource-update',
        'recorded/plan-error',
        'recorded/conditions',
        'recorded/sensitive-becomes-unknown',
        'recorded/import',
        'recorded/sensitive-only-change',
        'recorded/deferred',
      ]),
    );
  });

  it.each(cases)(
    '$name: per-action counts equal those of resource_changes[].change.actions',
    ({ plan }) => {
      const summary = summarizePlan(plan);
      expect(summary.counts).toEqual(expectedCounts(plan));
      expect(summary.resources).toHaveLength(
        (plan.resource_changes ?? []).length,
      );
      expect(summary.drift).toHaveLength((plan.resource_drift ?? []).length);
      // what the backend stores and serves parses back with the same hash
      const stored = planSummarySchema.parse(clone(summary));
      expect(hashPlanSummary(stored)).toBe(hashPlanSummary(summary));
    },
  );

  it.each([
    ...cases,
    { name: 'action-invocation', plan: withActionInvocation() },
  ])(
    '$name: a marker in place of every sensitive value reaches neither summary, hash input nor stored summary',
    ({ plan }) => {
      const { plan: marked, markers } = markSensitive(plan);
      const redactor = new Redactor();
      for (const v of collectSensitiveValues(marked)) redactor.add(v);
      const summary = summarizePlan(marked, { redactor });
      const texts = [
        JSON.stringify(summary),
        canonicalJson(planHashInput(summary)),
        JSON.stringify(planSummarySchema.parse(clone(summary))),
        describePlanCounts(summary),
      ];
      for (const marker of markers) {
        for (const text of texts) expect(text).not.toContain(marker);
      }
    },
  );

  it('has sensitive values to mark in the cases that have them', () => {
    for (const name of [
      'recorded/sensitive-values',
      'recorded/sensitive-becomes-unknown',
      'recorded/sensitive-only-change',
      'complex',
    ]) {
      expect(markSensitive(plans[name]).markers.length).toBeGreaterThan(0);
    }
  });

  describe('through terraform:plan (task log and action outputs)', () => {
    const dir = createMockDirectory();

    it.each(
      cases
        .filter(c => !c.plan.errored)
        .filter(c => markSensitive(c.plan).markers.length > 0),
    )('$name: no marker in the log or the outputs', async ({ name, plan }) => {
      dir.clear();
      const { plan: marked, markers } = markSensitive(plan);
      const scenario = name.replace('/', '-');
      const fixtures = dir.resolve('fixtures');
      await fs.mkdir(join(fixtures, scenario), { recursive: true });
      await fs.writeFile(
        join(fixtures, scenario, 'plan.json'),
        JSON.stringify(marked),
      );
      const runner = new LocalTerraformRunner({
        binary: STANDIN,
        timeoutMs: 20_000,
        killGraceMs: 500,
        environment: {
          TF_STANDIN_SCENARIO: scenario,
          TF_STANDIN_FIXTURES: fixtures,
          TF_STANDIN_RECORD: dir.resolve('calls.jsonl'),
        },
        inheritEnvironment: ['PATH', 'HOME'],
      });
      const result = await runAction(
        createTerraformPlanAction({
          runner,
          config: terraformConfig(dir.path),
        }),
        {
          module: './module',
          variables: { name: 'canary', password: 'Canary-Password-0000' },
          tags: { team: 'team-a', environment: 'dev', 'request-key': 'r-1' },
        },
        {
          workspacePath: dir.resolve('workspace'),
          templateInfo: templateInfo('terraform-data'),
        },
      );
      expect(result.error).toBeUndefined();
      const outputs = JSON.stringify(result.outputs);
      for (const marker of markers) {
        expect(result.log).not.toContain(marker);
        expect(outputs).not.toContain(marker);
      }
      expect(result.outputs.planHash).toBe(
        hashPlanSummary(result.outputs.planSummary),
      );
    });
  });
});

describe('issue #14', () => {
  it('1: a sensitive object becoming unknown shows its old value masked, numbers included (recorded, Terraform 1.11.4)', () => {
    const plan = plans['recorded/sensitive-becomes-unknown'];
    const redactor = new Redactor();
    for (const v of collectSensitiveValues(plan)) redactor.add(v);
    const summary = summarizePlan(plan, { redactor });
    expect(summary.resources[0].changes).toEqual([
      { path: 'input.name', before: 'db-a', after: 'db-b' },
      {
        path: 'output',
        // Terraform does not mark the output's copy sensitive: the values
        // are masked as equal to sensitive ones, the number 4242 included
        before: { name: 'db-a', password: '(sensitive)', pin: '(sensitive)' },
        afterUnknown: true,
      },
    ]);
    const text = JSON.stringify(summary);
    expect(text).not.toContain('4242');
    expect(text).not.toContain('Pa55word-Before-Unknown');
  });

  it('1: a value under a before_sensitive path is masked with no redactor at all, whatever its type, when the attribute becomes unknown', () => {
    const plan = clone(plans['recorded/sensitive-becomes-unknown']) as any;
    plan.resource_changes[0].change.before_sensitive.output = {
      password: true,
      pin: true,
    };
    const summary = summarizePlan(plan);
    expect(summary.resources[0].changes[1]).toEqual({
      path: 'output',
      before: { name: 'db-a', password: '(sensitive)', pin: '(sensitive)' },
      afterUnknown: true,
    });
    const whole = clone(plan);
    whole.resource_changes[0].change.before_sensitive.output = true;
    expect(summarizePlan(whole).resources[0].changes[1]).toEqual({
      path: 'output',
      before: '(sensitive)',
      afterUnknown: true,
      sensitive: true,
    });
  });

  it('2: an import is its own action, counted and hashed', () => {
    const plan = plans['recorded/import'];
    const summary = summarizePlan(plan);
    expect(summary.resources[0]).toMatchObject({
      address: 'terraform_data.imported',
      action: 'import',
      importing: true,
      importId: 'existing-object-1',
    });
    expect(summary.counts).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      replace: 0,
      import: 1,
    });
    expect(planHasChanges(summary)).toBe(true);
    expect(describePlanCounts(summary)).toContain('1 to import');
    const empty = summarizePlan({ ...plan, resource_changes: [] });
    expect(hashPlanSummary(summary)).not.toBe(hashPlanSummary(empty));
    const otherId = clone(plan);
    (otherId.resource_changes![0].change.importing as any).id = 'other';
    expect(hashPlanSummary(summarizePlan(otherId))).not.toBe(
      hashPlanSummary(summary),
    );
    // an import that also updates counts as both
    const importAndUpdate = clone(plan);
    importAndUpdate.resource_changes![0].change.actions = ['update'];
    (importAndUpdate.resource_changes![0].change.after as any).input = 'x';
    expect(summarizePlan(importAndUpdate).counts).toMatchObject({
      update: 1,
      import: 1,
    });
  });

  it('3: plans differing only in a sensitive value hash differently, and the value stays out (recorded, Terraform 1.11.4)', () => {
    const plan = plans['recorded/sensitive-only-change'];
    const secretOf = (p: TerraformPlanJson) =>
      p.resource_changes!.find(r => r.address === 'terraform_data.secret')!;
    const other = clone(plan);
    (secretOf(other).change.after as any).input = 'Sensitive-Only-Other-0000';
    const summarize = (p: TerraformPlanJson) => {
      const redactor = new Redactor();
      for (const v of collectSensitiveValues(p)) redactor.add(v);
      return summarizePlan(p, { redactor });
    };
    const a = summarize(plan);
    const b = summarize(other);
    const secret = a.resources.find(
      r => r.address === 'terraform_data.secret',
    )!;
    expect(secret.action).toBe('update');
    expect(secret.changes).toEqual([
      {
        path: 'input',
        before: '(sensitive)',
        after: '(sensitive)',
        sensitive: true,
      },
      { path: 'output', before: '(sensitive)', afterUnknown: true },
    ]);
    expect(secret.sensitiveDigest).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    // the approver-visible parts are equal, the hashes are not
    expect(JSON.stringify(a.resources.map(r => r.changes))).toBe(
      JSON.stringify(b.resources.map(r => r.changes)),
    );
    expect(hashPlanSummary(a)).not.toBe(hashPlanSummary(b));
    expect(hashPlanSummary(a)).toBe(hashPlanSummary(summarize(clone(plan))));
    const text = canonicalJson(planHashInput(a)) + JSON.stringify(a);
    expect(text).not.toContain('Sensitive-Only');
  });

  it('3: a deferred, incomplete plan is shown as such and hashed with its deferrals', () => {
    const plan = plans['recorded/deferred'];
    const summary = summarizePlan(plan);
    expect(summary.complete).toBe(false);
    expect(summary.deferred).toEqual([
      {
        address: 'terraform_data.node[*]',
        action: 'create',
        reason: 'instance_count_unknown',
      },
    ]);
    expect(describePlanCounts(summary)).toContain('INCOMPLETE');
    const complete = summarizePlan({
      ...plan,
      complete: true,
      deferred_changes: [],
    });
    expect(complete.complete).toBeUndefined();
    expect(hashPlanSummary(summary)).not.toBe(hashPlanSummary(complete));
    // complete: false alone, without a deferred list, also counts
    expect(
      hashPlanSummary(summarizePlan({ ...plan, deferred_changes: [] })),
    ).not.toBe(hashPlanSummary(complete));
  });

  it('3: action invocations (Terraform 1.14) are shown and hashed, sensitive config masked', () => {
    const summary = summarizePlan(withActionInvocation());
    expect(summary.actionInvocations).toEqual([
      {
        address: 'action.http_post.notify',
        type: 'http_post',
        triggeredBy: 'test_instance.test[0]',
        event: 'AfterCreate',
        config: [
          { path: 'url', after: 'https://hooks.example.com/a' },
          { path: 'token', after: '(sensitive)', sensitive: true },
        ],
        sensitiveDigest: expect.stringMatching(/^hmac-sha256:/),
      },
    ]);
    expect(JSON.stringify(summary)).not.toContain('Action-Token-Secret-1');
    const without = summarizePlan(plans['shared/basic-create']);
    const hashes = new Set([
      hashPlanSummary(without),
      hashPlanSummary(summary),
      hashPlanSummary(summarizePlan(withActionInvocation('Other-Token-2'))),
      hashPlanSummary(
        summarizePlan(withActionInvocation(undefined, 'https://other')),
      ),
    ]);
    expect(hashes.size).toBe(4);
    expect(planHasChanges(summary)).toBe(true);
  });

  it('4: a moved resource shows where it moved from, and the move is hashed (recorded, Terraform 1.11.4)', () => {
    const moved = summarizePlan(plans['recorded/moved']);
    expect(moved.resources[0]).toMatchObject({
      address: 'terraform_data.baz',
      previousAddress: 'terraform_data.foo',
      action: 'update',
    });
    expect(moved.resources[0].changes).toContainEqual({
      path: 'input',
      before: 'version-1',
      after: 'version-2',
    });
    const noMove = clone(plans['recorded/moved']);
    delete noMove.resource_changes![0].previous_address;
    expect(hashPlanSummary(summarizePlan(noMove))).not.toBe(
      hashPlanSummary(moved),
    );
    // a move alone (no-op at the new address) is a change too
    const renamed = summarizePlan(plans['recorded/moved-only']);
    expect(renamed.resources).toEqual([
      expect.objectContaining({
        address: 'terraform_data.baz',
        previousAddress: 'terraform_data.foo',
        action: 'no-op',
      }),
    ]);
    expect(planHasChanges(renamed)).toBe(true);
    expect(describePlanCounts(renamed)).toBe(
      '0 to create, 0 to update, 0 to replace, 0 to delete, 1 moved',
    );
    // count added: the old instance moves to [0] (no-op), [1] is created
    const countMove = summarizePlan(plans['recorded/multi-resource-update']);
    expect(countMove.resources[0]).toMatchObject({
      address: 'terraform_data.test[0]',
      action: 'no-op',
      previousAddress: 'terraform_data.test',
    });
    expect(countMove.resources[1]).toMatchObject({
      address: 'terraform_data.test[1]',
      action: 'create',
    });
    expect(describePlanCounts(countMove)).toContain('1 to create');
    expect(describePlanCounts(countMove)).toContain('1 moved');
  });

  it('4: drift of a moved resource keeps its previous address (drift entry built on the recorded move: terraform_data cannot drift)', () => {
    // terraform_data's refresh returns its prior state unchanged, so no
    // recording with the builtin provider has resource_drift; this entry is
    // the recorded move's prior object changed outside Terraform
    const plan = clone(plans['recorded/moved']) as any;
    const prior = plan.prior_state.values.root_module.resources[0];
    // the prior state is already read at the new address
    expect(prior.address).toBe('terraform_data.baz');
    plan.resource_drift = [
      {
        ...clone(plan.resource_changes[0]),
        change: {
          actions: ['update'],
          before: prior.values,
          after: { ...prior.values, output: 'changed-outside' },
          after_unknown: {},
          before_sensitive: {},
          after_sensitive: {},
        },
      },
    ];
    const summary = summarizePlan(plan);
    expect(summary.drift).toHaveLength(1);
    expect(summary.drift[0]).toMatchObject({
      address: 'terraform_data.baz',
      previousAddress: 'terraform_data.foo',
      action: 'update',
      changes: [
        { path: 'output', before: 'version-1', after: 'changed-outside' },
      ],
    });
    expect(summary.counts).toEqual(expectedCounts(plan));
  });

  it('the recorded module, condition and error cases (Terraform 1.11.4)', () => {
    const nested = summarizePlan(plans['recorded/nested-modules']);
    expect(nested.resources).toContainEqual(
      expect.objectContaining({
        address: 'module.outer.module.inner.terraform_data.leaf',
        moduleAddress: 'module.outer.module.inner',
        action: 'create',
      }),
    );
    const dependsOn = plans['recorded/module-depends-on'] as any;
    expect(
      dependsOn.configuration.root_module.module_calls.app.depends_on,
    ).toEqual(['terraform_data.first']);
    expect(
      summarizePlan(dependsOn).resources.map((r: any) => r.address),
    ).toEqual(['terraform_data.first', 'module.app.terraform_data.app']);
    const conditions = plans['recorded/conditions'] as any;
    expect(
      conditions.checks.map((c: any) => [c.address.to_display, c.status]),
    ).toEqual([
      ['check.size_is_small', 'pass'],
      ['output.sized_id', 'pass'],
      ['terraform_data.sized', 'unknown'],
    ]);
    expect(conditions.output_changes.sized_id.after_unknown).toBe(true);
    expect(summarizePlan(conditions).counts).toEqual({
      create: 1,
      update: 0,
      delete: 0,
      replace: 0,
    });
    const failed = plans['recorded/plan-error'] as any;
    expect(failed.errored).toBe(true);
    expect(failed.checks[0].instances[0].problems[0].message).toBe(
      'size must be below 10.',
    );
    const summary = summarizePlan(failed);
    expect(summary.resources).toEqual([]);
    expect(planHasChanges(summary)).toBe(false);
  });

  it('4: summaries stored before these fields existed parse and keep their hash', () => {
    const old = {
      counts: { create: 1, update: 0, delete: 0, replace: 0 },
      resources: [
        {
          address: 'a.b',
          type: 'a',
          action: 'create',
          changes: [{ path: 'x', after: 1 }],
        },
      ],
    };
    const parsed = planSummarySchema.parse(old);
    expect(parsed.drift).toEqual([]);
    expect(parsed.complete).toBeUndefined();
    // the hash of an old summary is the change set's, as before
    expect(hashPlanSummary(parsed)).toBe(
      require('node:crypto')
        .createHash('sha256')
        .update('[{"action":"create","address":"a.b","after":[["x",1]]}]')
        .digest('hex'),
    );
  });

  it('5: refuses a state, a non-list resource_changes and an entry without change, naming what is wrong', () => {
    const state = {
      format_version: '1.0',
      terraform_version: '1.11.4',
      values: { root_module: { resources: [] } },
    } as any;
    expect(() => summarizePlan(state)).toThrow(
      /`show -json` output of a state/,
    );
    expect(() =>
      summarizePlan({ format_version: '1.2', resource_changes: {} } as any),
    ).toThrow('resource_changes must be a list, got an object');
    expect(() =>
      summarizePlan({
        format_version: '1.2',
        resource_changes: [{ address: 'a.b', mode: 'managed' }],
      } as any),
    ).toThrow('resource_changes[0] (a.b) has no change object');
    expect(() =>
      summarizePlan({
        format_version: '1.2',
        resource_changes: [{ address: 'a.b', change: { actions: 'create' } }],
      } as any),
    ).toThrow('change.actions must be a list of strings');
    expect(() =>
      summarizePlan({
        format_version: '1.2',
        deferred_changes: [{ reason: 'x' }],
      } as any),
    ).toThrow('deferred_changes[0].resource_change must be an object');
    expect(() =>
      collectSensitiveValues({
        format_version: '1.2',
        resource_drift: 'x',
      } as any),
    ).toThrow('resource_drift must be a list');
    for (const bad of [null, [], 'plan']) {
      expect(() => summarizePlan(bad as any)).toThrow('not a Terraform plan');
    }
  });

  it('6: redaction is linear: 10,000 secrets over 10,000 strings', () => {
    const r = new Redactor();
    for (let i = 0; i < 10_000; i++) r.add(`secret-${i}-value`);
    const values = Array.from(
      { length: 10_000 },
      (_, i) =>
        `prefix secret-${i}-value and db-${i} and secret-${(i * 7) % 10_000}-value`,
    );
    const started = Date.now();
    const out = r.redactValue(values);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(out[42]).toBe('prefix (sensitive) and db-42 and (sensitive)');
    expect(out.join(' ')).not.toMatch(/secret-\d+-value/);
  });
});
