import { DEFAULT_GUARDRAILS } from './config';
import { plannedVariables, Unrenderable } from './plannedValues';
import { deriveRequirements, type RequirementsInput } from './requirements';
import { readTemplateControls } from './templateControls';

const NOW = new Date('2026-12-03T12:00:00Z');
const TEAM = 'group:default/team-a';

/** The guardrails/plan/request steps of a template, as the catalog holds it. */
function spec(
  options: {
    rules?: unknown[];
    stages?: unknown[];
    financeThreshold?: number;
    variables?: unknown;
    selfApproval?: unknown;
  } = {},
) {
  return {
    steps: [
      {
        id: 'guardrails',
        action: 'self-service:guardrails',
        input: {
          parameters: '${{ parameters }}',
          rules: options.rules ?? [
            {
              id: 'max-storage',
              require: { parameter: 'storage_gb', max: 500 },
              severity: 'deny',
              message: 'Storage is at most 500 GB',
            },
          ],
          ...(options.stages ? { stages: options.stages } : {}),
          ...(options.financeThreshold !== undefined
            ? { financeThreshold: options.financeThreshold }
            : {}),
        },
      },
      {
        id: 'plan',
        action: 'terraform:plan',
        input: {
          variables: options.variables ?? {
            storage_gb: '${{ parameters.storage_gb }}',
          },
        },
      },
      {
        id: 'request',
        action: 'self-service:request',
        input: {
          ...(options.selfApproval !== undefined
            ? { allowSelfApprovalOutsideProduction: options.selfApproval }
            : {}),
        },
      },
    ],
  };
}

function derive(
  patch: Partial<RequirementsInput> & { template?: ReturnType<typeof spec> } = {},
) {
  const { template = spec(), ...rest } = patch;
  return deriveRequirements({
    controls: readTemplateControls(template),
    config: DEFAULT_GUARDRAILS,
    team: TEAM,
    environment: 'dev',
    parameters: { storage_gb: 100 },
    monthlyCost: 10,
    currency: 'USD',
    unpriced: [],
    now: NOW,
    ...rest,
  });
}

const names = (r: { stages: Array<{ name: string }> }) => r.stages.map(s => s.name);
const codes = (r: { findings: Array<{ code: string; severity: string }> }) =>
  r.findings.filter(f => f.severity !== 'warn').map(f => f.code);

describe('deriveRequirements', () => {
  it('auto-approves a dev request within the rules, with the dev TTL', () => {
    const r = derive();
    expect(r.stages).toEqual([]);
    expect(codes(r)).toEqual([]);
    expect(r.expiresAt).toBe('2026-12-10T12:00:00.000Z');
  });

  it("sends every production request to the team's leads, with no TTL", () => {
    const r = derive({ environment: 'production', parameters: { storage_gb: 100, environment: 'production' } });
    expect(names(r)).toEqual(['team-lead']);
    expect(r.stages[0].groups).toEqual(['group:default/team-a-leads']);
    expect(r.expiresAt).toBeUndefined();
  });

  it('adds finance, last, when the cost to judge is over the threshold', () => {
    const config = { ...DEFAULT_GUARDRAILS, financeThreshold: 400 };
    expect(names(derive({ config, monthlyCost: 399 }))).toEqual([]);
    const r = derive({ config, environment: 'production', monthlyCost: 401 });
    expect(names(r)).toEqual(['team-lead', 'finance']);
  });

  it("uses the template's own finance threshold and stages", () => {
    const r = derive({
      template: spec({
        financeThreshold: 50,
        stages: [{ name: 'dba', groups: ['group:default/dba'], quorum: 2 }],
      }),
      monthlyCost: 60,
    });
    expect(names(r)).toEqual(['dba', 'finance']);
    expect(r.stages[0].quorum).toBe(2);
  });

  it('denies what a rule denies over the parameters', () => {
    const r = derive({ parameters: { storage_gb: 600 } });
    expect(codes(r)).toEqual(['policy.max-storage']);
  });

  it('checks a rule over the value the plan is fed, not only the parameter', () => {
    // The plan step feeds storage_gb from another parameter than the rule reads.
    const template = spec({
      variables: { storage_gb: '${{ parameters.storage_override }}' },
    });
    const r = derive({ template, parameters: { storage_gb: 100, storage_override: 5000 } });
    expect(codes(r)).toEqual(['policy.max-storage']);
    expect(r.findings.find(f => f.code === 'policy.max-storage')!.message).toContain('[as planned]');
  });

  it('reads the module variable a rule names with require.variable', () => {
    const template = spec({
      rules: [
        {
          id: 'max-disk',
          require: { parameter: 'size', variable: 'disk_gb', max: 500 },
          severity: 'deny',
          message: 'Disks are at most 500 GB',
        },
      ],
      variables: { disk_gb: '${{ parameters.disk }}' },
    });
    expect(codes(derive({ template, parameters: { size: 100, disk: 100 } }))).toEqual([]);
    expect(codes(derive({ template, parameters: { size: 100, disk: 900 } }))).toEqual(['policy.max-disk']);
  });

  it('refuses plan variables it cannot check rather than guess', () => {
    const template = spec({ variables: '${{ parameters.everything | dump }}' });
    expect(codes(derive({ template }))).toContain('plan.variables-unverifiable');
  });

  it('denies a request whose parameters or plan say another environment', () => {
    expect(codes(derive({ parameters: { storage_gb: 1, environment: 'production' } }))).toContain(
      'environment.mismatch',
    );
    const template = spec({
      variables: { storage_gb: '${{ parameters.storage_gb }}', environment: 'production' },
    });
    expect(codes(derive({ template }))).toContain('environment.mismatch');
  });

  it('turns a cost over the ceiling into a denial', () => {
    const config = { ...DEFAULT_GUARDRAILS, costCeiling: 100 };
    expect(codes(derive({ config, monthlyCost: 150 }))).toContain('cost.ceiling');
  });
});

describe('readTemplateControls', () => {
  it('refuses controls computed from template expressions', () => {
    expect(() =>
      readTemplateControls(spec({ rules: '${{ parameters.rules }}' as any })),
    ).toThrow(/input rules is computed from a template expression/);
    expect(() => readTemplateControls(spec({ financeThreshold: '${{ parameters.t }}' as any }))).toThrow(
      /financeThreshold/,
    );
  });

  it('lets requesters approve their own requests only with a literal true', () => {
    expect(readTemplateControls(spec({ selfApproval: true })).allowSelfApprovalOutsideProduction).toBe(true);
    expect(readTemplateControls(spec()).allowSelfApprovalOutsideProduction).toBe(false);
    // A computed value never counts (the template checks refuse it too).
    expect(
      readTemplateControls(spec({ selfApproval: '${{ parameters.self }}' })).allowSelfApprovalOutsideProduction,
    ).toBe(false);
  });
});

describe('plannedVariables', () => {
  it('renders plain parameter references, whole and inside text', () => {
    expect(
      plannedVariables(
        { a: '${{ parameters.a }}', b: 'db-${{ parameters["n"] }}', c: 3, d: '${{ parameters.missing }}' },
        { a: 7, n: 'x' },
      ),
    ).toEqual({ a: 7, b: 'db-x', c: 3, d: undefined });
  });

  it('keeps anything else as unrenderable', () => {
    const out = plannedVariables({ a: '${{ parameters.a | upper }}' }, { a: 'x' }) as Record<string, unknown>;
    expect(out.a).toBeInstanceOf(Unrenderable);
    expect(plannedVariables('${{ steps.x.output }}', {})).toBeInstanceOf(Unrenderable);
  });
});
