import { SELF_SERVICE_CHANGE_OPERATION, SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { parsePriceBook } from '@internal/plugin-self-service-node';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_GUARDRAILS, GuardrailsConfig } from '../../config';
import { FakeSelfServiceClient, usage } from '../../__testUtils__/fakes';
import { mockAuth, runAction } from '../../__testUtils__/runAction';
import { createGuardrailsAction, GuardrailsActionOptions } from './guardrails';
import { examples } from './guardrails.examples';

const priceBook = parsePriceBook(`
version: test-1
currency: USD
templates:
  postgres-database:
    components:
      - name: instance
        by: instance_size
        monthly: { small: 25, medium: 100, large: 400 }
      - name: storage
        per: storage_gb
        monthly: 0.1
`);

const NOW = new Date('2026-11-23T10:00:30.000Z');

function setup(
  overrides: Partial<GuardrailsActionOptions> & {
    teamUsage?: ReturnType<typeof usage>;
  } = {},
) {
  const client = new FakeSelfServiceClient();
  client.teamUsage.set(
    'group:default/team-a',
    overrides.teamUsage ?? usage({}),
  );
  const action = createGuardrailsAction({
    client,
    auth: mockAuth(),
    config: DEFAULT_GUARDRAILS,
    priceBook: { load: async () => priceBook },
    catalog: {
      getEntityByRef: async () =>
        ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: {
            name: 'team-a',
            annotations: { 'self-service.io/cost-center': 'CC-1001' },
          },
        }) as any,
    },
    now: () => NOW,
    ...overrides,
  });
  return { client, action };
}

const base = {
  team: 'group:default/team-a',
  parameters: {
    instance_size: 'small',
    storage_gb: 50,
    backup_enabled: true,
    environment: 'dev',
  },
};

describe('self-service:guardrails', () => {
  it('passes a small dev request, sets its expiry and auto-tags', async () => {
    const { action, client } = setup();
    const { outputs, error } = await runAction(action, base);
    expect(error).toBeUndefined();
    expect(outputs.denied).toBe(false);
    expect(outputs.monthlyCost).toBe(30);
    expect(outputs.stages).toEqual([]);
    expect(outputs.requiresApproval).toBe(false);
    expect(outputs.expiresAt).toBe('2026-11-30T10:00:00.000Z');
    expect(outputs.requestKey).toBe('task-1');
    expect(outputs.tags).toEqual({
      team: 'team-a',
      'cost-center': 'CC-1001',
      environment: 'dev',
      'request-key': 'task-1',
      template: 'postgres-database',
      'expires-at': '2026-11-30T10:00:00.000Z',
      'managed-by': 'backstage-self-service',
    });
    expect(outputs.findings.map((f: any) => f.code)).toEqual([
      'environment.ttl',
    ]);
    // usage is read with a token obtained on behalf of the task's initiator
    expect(client.calls[0]).toMatchObject({
      method: 'getTeamUsage',
      body: 'group:default/team-a',
    });
    expect(client.calls[0].token).toContain('user:default/mock');
  });

  type Row = [
    string,
    Record<string, unknown>,
    Record<string, unknown>[],
    string,
    string,
    RegExp,
  ];
  const rows: Row[] = [
    [
      'equals',
      { environment: 'production', backup_enabled: false },
      [
        {
          id: 'prod-backups',
          when: { environment: 'production' },
          require: { parameter: 'backup_enabled', equals: true },
          message: 'Production databases must keep backups',
        },
      ],
      'policy.prod-backups',
      'deny',
      /Production databases must keep backups \(backup_enabled is false, must be true\)/,
    ],
    [
      'max',
      { storage_gb: 800 },
      [{ id: 'max-storage', require: { param: 'storage_gb', max: 500 } }],
      'policy.max-storage',
      'deny',
      /storage_gb is 800, at most 500 allowed/,
    ],
    [
      'min',
      { storage_gb: 5 },
      [{ id: 'min-storage', require: { parameter: 'storage_gb', min: 20 } }],
      'policy.min-storage',
      'deny',
      /storage_gb is 5, at least 20 required/,
    ],
    [
      'oneOf',
      { instance_size: 'huge' },
      [
        {
          id: 'sizes',
          require: {
            parameter: 'instance_size',
            oneOf: ['small', 'medium', 'large'],
          },
          severity: 'warn',
        },
      ],
      'policy.sizes',
      'warn',
      /instance_size is "huge", must be one of "small", "medium", "large"/,
    ],
    [
      'notEquals (cannot be turned off)',
      { encrypted: false },
      [
        {
          id: 'encryption',
          require: { parameter: 'encrypted', equals: true, ifPresent: true },
          message: 'Encryption is always on',
        },
      ],
      'policy.encryption',
      'deny',
      /Encryption is always on \(encrypted is false, must be true\)/,
    ],
    [
      'matches',
      { name: 'Bad_Name' },
      [
        {
          id: 'name',
          require: { parameter: 'name', matches: '^[a-z][a-z0-9-]+$' },
        },
      ],
      'policy.name',
      'deny',
      /name "Bad_Name" does not match/,
    ],
    [
      'missing parameter',
      {},
      [{ id: 'owner', require: { parameter: 'owner_email', matches: '@' } }],
      'policy.owner',
      'deny',
      /owner_email is not set/,
    ],
    [
      'when-only, require-approval',
      { environment: 'production' },
      [
        {
          id: 'dba',
          when: { environment: 'production' },
          severity: 'require-approval',
          message: 'Needs a DBA',
          approvers: { name: 'dba', groups: ['group:default/dba'] },
        },
      ],
      'policy.dba',
      'require-approval',
      /Needs a DBA/,
    ],
  ];

  it.each(rows)(
    'evaluates a %s rule',
    async (_kind, params, rules, code, severity, message) => {
      const { action } = setup();
      const { outputs, error } = await runAction(action, {
        ...base,
        parameters: { ...base.parameters, ...params },
        rules,
      });
      const finding = outputs.findings.find((f: any) => f.code === code);
      expect(finding).toMatchObject({
        severity,
        rule: code.replace('policy.', ''),
      });
      expect(finding.message).toMatch(message);
      // only denials fail the step, and the failure names them
      expect(error?.message?.includes(code) ?? false).toBe(severity === 'deny');
    },
  );

  it('passes rules whose condition does not apply or whose parameter is absent but optional', async () => {
    const { action } = setup();
    const { outputs, error } = await runAction(action, {
      ...base,
      rules: [
        {
          id: 'prod-backups',
          when: { environment: 'production' },
          require: { parameter: 'backup_enabled', equals: true },
        },
        {
          id: 'encryption',
          require: { parameter: 'encrypted', equals: true, ifPresent: true },
        },
      ],
    });
    expect(error).toBeUndefined();
    expect(
      outputs.findings.filter((f: any) => f.code.startsWith('policy.')),
    ).toEqual([]);
  });

  it('reports every denial together, with budget and quota numbers', async () => {
    const { action } = setup({
      teamUsage: usage({
        budget: { limit: 1000, live: 850, reserved: 100 },
        quota: { limit: 5, live: 4, reserved: 1 },
      }),
    });
    const { outputs, error } = await runAction(action, {
      ...base,
      parameters: {
        ...base.parameters,
        instance_size: 'medium',
        storage_gb: 800,
        environment: 'production',
        backup_enabled: false,
      },
      costCeiling: 150,
      rules: [
        {
          id: 'prod-backups',
          when: { environment: 'production' },
          require: { parameter: 'backup_enabled', equals: true },
        },
        { id: 'max-storage', require: { parameter: 'storage_gb', max: 500 } },
      ],
    });
    const denials = outputs.findings.filter((f: any) => f.severity === 'deny');
    expect(denials.map((f: any) => f.code).sort()).toEqual(
      [
        'budget.exceeded',
        'cost.ceiling',
        'policy.max-storage',
        'policy.prod-backups',
        'quota.exceeded',
      ].sort(),
    );
    expect(outputs.denied).toBe(true);
    const budget = denials.find(
      (f: any) => f.code === 'budget.exceeded',
    ).message;
    expect(budget).toBe(
      "Team team-a's monthly budget of $1,000 would be exceeded: $850 live + $100 reserved + $180 for this request = $1,130, $130 over.",
    );
    expect(denials.find((f: any) => f.code === 'quota.exceeded').message).toBe(
      'Team team-a has 5 of its 5 resources in use (4 live, 1 reserved); this request needs one more.',
    );
    expect(
      denials.find((f: any) => f.code === 'cost.ceiling').message,
    ).toContain('$180 is over the per-request ceiling of $150');
    for (const d of denials)
      expect(error!.message).toContain(`- ${d.code}: ${d.message}`);
    expect(error!.name).toBe('NotAllowedError');
  });

  it('warns when the request brings the team near its budget', async () => {
    const { action } = setup({
      teamUsage: usage({ budget: { limit: 1000, live: 500, reserved: 0 } }),
    });
    const { outputs, error } = await runAction(action, {
      ...base,
      parameters: {
        ...base.parameters,
        instance_size: 'large',
        storage_gb: 100,
      },
    });
    expect(error).toBeUndefined();
    expect(
      outputs.findings.find((f: any) => f.code === 'budget.near-limit'),
    ).toEqual({
      code: 'budget.near-limit',
      severity: 'warn',
      message:
        'This request brings team team-a to 91% of its monthly budget of $1,000: $500 live + $0 reserved + $410 for this request = $910.',
    });
  });

  it('adds the team lead stage for production and finance over the threshold, finance last', async () => {
    const config: GuardrailsConfig = {
      ...DEFAULT_GUARDRAILS,
      financeThreshold: 100,
    };
    const { action } = setup({
      config,
      teamUsage: usage({ budget: { limit: 2000, live: 1000 } }),
    });
    const { outputs, error } = await runAction(action, {
      ...base,
      parameters: {
        ...base.parameters,
        instance_size: 'large',
        environment: 'production',
      },
      stages: [{ name: 'dba', groups: ['group:default/dba'] }],
    });
    expect(error).toBeUndefined();
    expect(outputs.stages).toEqual([
      { name: 'dba', groups: ['group:default/dba'], quorum: 1 },
      { name: 'team-lead', groups: ['group:default/team-a-leads'], quorum: 1 },
      { name: 'finance', groups: ['group:default/finance'], quorum: 1 },
    ]);
    expect(outputs.addedStages.map((s: any) => s.name)).toEqual([
      'team-lead',
      'finance',
    ]);
    expect(outputs.findings.map((f: any) => f.code)).not.toContain(
      'budget.near-limit',
    );
    expect(outputs.expiresAt).toBeUndefined();
    expect(outputs.tags['expires-at']).toBeUndefined();
    expect(outputs.requiresApproval).toBe(true);
  });

  it('needs finance approval when the template is not in the price book, never counting it as zero', async () => {
    const { action } = setup();
    const { outputs, error } = await runAction(action, {
      ...base,
      template: 'unknown-template',
    });
    expect(error).toBeUndefined();
    expect(outputs.monthlyCost).toBeUndefined();
    expect(outputs.cost.unpriced).toEqual(['unknown-template']);
    expect(
      outputs.findings.find((f: any) => f.code === 'cost.unknown'),
    ).toMatchObject({
      severity: 'require-approval',
      stage: 'finance',
    });
    expect(outputs.stages.map((s: any) => s.name)).toEqual(['finance']);
  });

  it('evaluates rules registered in code, and denies when a coded rule throws', async () => {
    const { action } = setup({
      rules: [
        {
          id: 'no-large-in-dev',
          when: { environment: 'dev', instance_size: 'large' },
          require: { parameter: 'justification', matches: '.{10,}' },
          severity: 'deny',
        },
        {
          id: 'coded',
          evaluate: ctx =>
            ctx.environment === 'dev'
              ? [
                  {
                    code: 'coded.dev',
                    severity: 'warn',
                    message: `dev for ${ctx.team}`,
                  },
                ]
              : [],
        },
        {
          id: 'broken',
          evaluate: () => {
            throw new Error('catalog down');
          },
        },
      ],
    });
    const { outputs, error } = await runAction(action, {
      ...base,
      parameters: { ...base.parameters, instance_size: 'large' },
    });
    const codes = outputs.findings.map((f: any) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'policy.no-large-in-dev',
        'coded.dev',
        'rule.error',
      ]),
    );
    expect(error!.message).toContain(
      'Guardrail rule broken could not be evaluated: catalog down',
    );
    expect(error!.message).toContain('policy.no-large-in-dev');
  });

  it('rejects an invalid rule naming it and the field', async () => {
    const { action } = setup();
    const { error } = await runAction(action, {
      ...base,
      rules: [
        { id: 'ok', require: { parameter: 'a', max: 1 } },
        { id: 'bad', require: { parameter: 'a', between: 1 } },
      ],
    });
    expect(error!.name).toBe('InputError');
    expect(error!.message).toMatch(
      /step input rule 1 \(bad\) is invalid: require: .*between/,
    );
  });

  it('refuses a require-approval finding whose stage is not defined', async () => {
    const { action } = setup();
    const { error } = await runAction(action, {
      ...base,
      rules: [
        {
          id: 'sec',
          severity: 'require-approval',
          when: { environment: 'dev' },
          stage: 'security',
        },
      ],
    });
    expect(error!.message).toContain(
      'approval stage "security" (needed by policy.sec) is not defined',
    );
  });

  it('reuses the approved request key, expiry and reservation when launched for an approved request', async () => {
    const { action, client } = setup();
    client.requests.set('3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a', {
      id: '3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a',
      taskIds: ['task-original'],
      expiresAt: '2026-11-30T10:00:00Z',
    } as any);
    client.teamUsage.clear(); // usage must not be read: the reservation is already counted
    const { outputs, error } = await runAction(action, base, {
      taskId: 'task-launched',
      secrets: {
        selfServiceRequestId: '3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a',
        selfServiceGrantToken: 'x'.repeat(40),
      },
    });
    expect(error).toBeUndefined();
    expect(outputs.requestKey).toBe('task-original');
    expect(outputs.tags['request-key']).toBe('task-original');
    expect(outputs.expiresAt).toBe('2026-11-30T10:00:00.000Z');
    // No usage read to carry it: the cost center comes from the catalog.
    expect(outputs.tags['cost-center']).toBe('CC-1001');
  });

  it('denies nothing in a tear-down and keeps the request key and expiry', async () => {
    const { action, client } = setup();
    client.requests.set('3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a', {
      id: '3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a',
      taskIds: ['task-original'],
      expiresAt: '2026-11-30T10:00:00Z',
    } as any);
    const input = {
      ...base,
      costCeiling: 1,
      rules: [
        {
          id: 'max-storage',
          require: { parameter: 'storage_gb', max: 10 },
          severity: 'deny',
        },
      ],
    };
    const secrets = {
      selfServiceRequestId: '3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a',
      selfServiceGrantToken: 'x'.repeat(40),
    };
    // The same input denies an apply run...
    const applying = await runAction(action, input, {
      taskId: 'task-apply',
      secrets,
    });
    expect(applying.error?.message).toContain('policy.max-storage');
    // ...but not the tear-down.
    const { outputs, error } = await runAction(action, input, {
      taskId: 'task-destroy',
      secrets: {
        ...secrets,
        selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
      },
    });
    expect(error).toBeUndefined();
    expect(outputs.denied).toBe(false);
    expect(outputs.findings.filter((f: any) => f.severity === 'deny')).toEqual(
      [],
    );
    expect(outputs.requestKey).toBe('task-original');
    expect(outputs.tags['request-key']).toBe('task-original');
    expect(outputs.expiresAt).toBe('2026-11-30T10:00:00.000Z');
  });

  it("plans a day-2 change on the resource's state key, keeps its expiry, and still judges the new values", async () => {
    const { action, client } = setup();
    client.requests.set('5b2d3c4e-6f70-4a81-9b2c-3d4e5f607182', {
      id: '5b2d3c4e-6f70-4a81-9b2c-3d4e5f607182',
      // The resource's state is keyed by the task that first planned it,
      // which is not the first task of every request that names it.
      taskIds: ['task-first-apply'],
      stateKey: 'task-original',
      expiresAt: '2026-11-30T10:00:00Z',
    } as any);
    const { outputs, error } = await runAction(
      action,
      {
        ...base,
        rules: [
          {
            id: 'max-storage',
            require: { parameter: 'storage_gb', max: 10 },
            severity: 'deny',
          },
        ],
      },
      {
        taskId: 'task-change',
        secrets: {
          selfServiceRequestId: '5b2d3c4e-6f70-4a81-9b2c-3d4e5f607182',
          selfServiceGrantToken: 't'.repeat(43),
          selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
        },
      },
    );
    // A change is a new request: what it asks for is judged (and denied here).
    expect(error?.message).toContain('policy.max-storage');
    expect(outputs.requestKey).toBe('task-original');
    expect(outputs.tags['request-key']).toBe('task-original');
    expect(outputs.expiresAt).toBe('2026-11-30T10:00:00.000Z');
    // The team's usage was read for the budget findings, as for a first run.
    expect(client.calls.some(c => c.method === 'getTeamUsage')).toBe(true);
  });

  it('rejects a bad environment and a bad team with clear messages', async () => {
    const { action } = setup();
    const bad = await runAction(action, {
      ...base,
      parameters: { environment: 'prod' },
    });
    expect(bad.error!.message).toBe(
      'environment must be one of dev, staging, production, got "prod"',
    );
    const team = await runAction(action, {
      ...base,
      team: 'user:default/someone',
    });
    expect(team.error!.message).toContain('is not a group entity ref');
  });

  it('tags with the cost center the usage read returned, without asking the catalog', async () => {
    const getEntityByRef = jest.fn();
    const { action } = setup({
      teamUsage: usage({ costCenter: 'CC-2002' }),
      catalog: { getEntityByRef },
    });
    const { outputs, error } = await runAction(action, base);
    expect(error).toBeUndefined();
    expect(outputs.tags['cost-center']).toBe('CC-2002');
    expect(getEntityByRef).not.toHaveBeenCalled();
  });

  it("warns and tags cost-center=unassigned when the team's group has no cost center", async () => {
    const { action } = setup({ teamUsage: usage({ costCenter: null }) });
    const { outputs, error } = await runAction(action, base);
    expect(error).toBeUndefined();
    expect(outputs.tags['cost-center']).toBe('unassigned');
    expect(outputs.findings).toContainEqual(
      expect.objectContaining({
        code: 'tags.cost-center-missing',
        severity: 'warn',
      }),
    );
    expect(outputs.denied).toBe(false);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example parses and runs: %s',
    async (_d, example) => {
      const step = parseYaml(example).steps[0];
      expect(step.action).toBe('self-service:guardrails');
      const { action } = setup({ config: { ...DEFAULT_GUARDRAILS } });
      // template expressions are left as strings: give concrete values for them
      const input = JSON.parse(
        JSON.stringify(step.input)
          .replace('"${{ steps.estimate.output.monthlyTotal }}"', '120')
          .replaceAll('${{ parameters.team }}', 'group:default/team-a')
          .replaceAll('${{ parameters.environment }}', 'production')
          .replaceAll('${{ parameters.instance_size }}', 'small')
          .replace('"${{ parameters.storage_gb }}"', '100')
          .replace('"${{ parameters.backup_enabled }}"', 'true'),
      );
      const { error, outputs } = await runAction(action, input);
      expect(error).toBeUndefined();
      expect(outputs.findings.length).toBeGreaterThan(0);
    },
  );
});
