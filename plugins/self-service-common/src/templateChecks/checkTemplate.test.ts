import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import {
  checkTemplate,
  TEMPLATE_PROBLEM_CODES,
  TemplateSpecLike,
  TemplateStepLike,
} from './checkTemplate';

const TEMPLATES = resolve(__dirname, '../../../../examples/templates');

function exampleSpec(name = 'postgres-database'): TemplateSpecLike {
  return parse(readFileSync(resolve(TEMPLATES, name, 'template.yaml'), 'utf8'))
    .spec;
}

type Steps = TemplateStepLike[];
const byId = (steps: Steps, id: string) => steps.find(s => s.id === id)!;

/** The postgres example with its steps changed by `edit`. */
function variant(edit: (steps: Steps) => Steps | void): TemplateSpecLike {
  const spec = structuredClone(exampleSpec());
  const edited = edit(spec.steps!);
  return edited ? { ...spec, steps: edited } : spec;
}

const codes = (spec: TemplateSpecLike) => checkTemplate(spec).map(p => p.code);

describe('checkTemplate', () => {
  it.each(readdirSync(TEMPLATES))('accepts the shipped example %s', name => {
    expect(checkTemplate(exampleSpec(name))).toEqual([]);
  });

  it('leaves templates that use none of the gated actions alone', () => {
    expect(
      checkTemplate({
        steps: [
          { id: 'guardrails', action: 'self-service:guardrails', if: 'x' },
          { id: 'plan', action: 'terraform:plan', each: [1, 2] },
          { id: 'log', action: 'debug:log' },
        ],
      }),
    ).toEqual([]);
    expect(checkTemplate({})).toEqual([]);
  });

  it('lists every code it reports, in kebab-case', () => {
    for (const code of TEMPLATE_PROBLEM_CODES) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(new Set(TEMPLATE_PROBLEM_CODES).size).toBe(
      TEMPLATE_PROBLEM_CODES.length,
    );
  });

  /**
   * One case per rule: a bad variant of the example that the rule reports
   * (with the step and a message naming it), and a good variant close to it
   * that passes.
   */
  const cases: Array<{
    rule: string;
    code: (typeof TEMPLATE_PROBLEM_CODES)[number];
    stepId?: string;
    bad: (steps: Steps) => Steps | void;
    good: (steps: Steps) => Steps | void;
  }> = [
    {
      rule: 'if: on the guardrails step',
      code: 'if-on-control-step',
      stepId: 'guardrails',
      bad: s => {
        byId(s, 'guardrails').if =
          "${{ parameters.environment == 'production' }}";
      },
      good: () => {},
    },
    {
      rule: 'if: on the request step',
      code: 'if-on-control-step',
      stepId: 'request',
      bad: s => {
        byId(s, 'request').if = '${{ parameters.record }}';
      },
      good: () => {},
    },
    {
      rule: 'if: on the plan step',
      code: 'if-on-control-step',
      stepId: 'plan',
      bad: s => {
        byId(s, 'plan').if = false;
      },
      good: () => {},
    },
    {
      rule: 'each: on the guardrails step',
      code: 'each-on-gated-step',
      stepId: 'guardrails',
      bad: s => {
        byId(s, 'guardrails').each = ['a', 'b'];
      },
      good: () => {},
    },
    {
      rule: 'each: on the request step',
      code: 'each-on-gated-step',
      stepId: 'request',
      bad: s => {
        byId(s, 'request').each = '${{ parameters.copies }}';
      },
      good: () => {},
    },
    {
      rule: 'each: on the apply step',
      code: 'each-on-gated-step',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').each = [1, 2];
      },
      good: () => {},
    },
    {
      rule: 'each: on the destroy step',
      code: 'each-on-gated-step',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'destroy').each = [1, 2];
      },
      good: () => {},
    },
    {
      rule: 'a guardrails step without an id',
      code: 'step-id-missing',
      stepId: 'steps[0]',
      bad: s => {
        delete byId(s, 'guardrails').id;
      },
      good: () => {},
    },
    {
      rule: 'two request steps',
      code: 'duplicate-step',
      stepId: 'request-2',
      bad: s => {
        s.splice(3, 0, { ...byId(s, 'request'), id: 'request-2' });
      },
      good: () => {},
    },
    {
      rule: 'two apply steps',
      code: 'duplicate-step',
      stepId: 'apply-2',
      bad: s => {
        s.splice(4, 0, { ...byId(s, 'apply'), id: 'apply-2' });
      },
      good: () => {},
    },
    {
      rule: 'two destroy steps',
      code: 'duplicate-step',
      stepId: 'destroy-2',
      bad: s => {
        s.push({ ...byId(s, 'destroy'), id: 'destroy-2' });
      },
      good: () => {},
    },
    {
      rule: 'apply without a request step',
      code: 'request-missing',
      stepId: 'apply',
      bad: s => s.filter(step => step.id !== 'request'),
      good: () => {},
    },
    {
      rule: 'no guardrails step',
      code: 'guardrails-missing',
      stepId: 'request',
      bad: s => s.filter(step => step.id !== 'guardrails'),
      good: () => {},
    },
    {
      rule: 'the guardrails step after the request',
      code: 'guardrails-missing',
      stepId: 'request',
      bad: s => [s[1], s[2], s[0], s[3], s[4]],
      good: () => {},
    },
    {
      rule: 'no plan step',
      code: 'plan-missing',
      stepId: 'request',
      bad: s => s.filter(step => step.id !== 'plan'),
      good: () => {},
    },
    {
      rule: 'the plan before the guardrails',
      code: 'plan-before-guardrails',
      stepId: 'plan',
      bad: s => [s[1], s[0], ...s.slice(2)],
      good: () => {},
    },
    {
      rule: 'a re-plan after the request step',
      code: 'plan-after-request',
      stepId: 'replan',
      bad: s => {
        s.splice(3, 0, { ...byId(s, 'plan'), id: 'replan' });
      },
      good: () => {},
    },
    {
      rule: 'apply before the request step',
      code: 'apply-before-request',
      stepId: 'apply',
      bad: s => [s[0], s[1], s[3], s[2], s[4]],
      good: () => {},
    },
    {
      rule: 'destroy before the request step',
      code: 'apply-before-request',
      stepId: 'destroy',
      bad: s => [s[0], s[1], s[4], s[2], s[3]],
      good: () => {},
    },
    {
      rule: 'apply without an if:',
      code: 'apply-if-not-gated',
      stepId: 'apply',
      bad: s => {
        delete byId(s, 'apply').if;
      },
      good: s => {
        byId(s, 'apply').if = '${{steps.request.output.approved}}';
      },
    },
    {
      rule: "apply gated on the request's state instead of approved",
      code: 'apply-if-not-gated',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').if = "${{ steps.request.output.state != 'denied' }}";
      },
      good: s => {
        byId(s, 'apply').if =
          "${{ steps['request'].output.approved and steps.request.output.state != 'denied' }}";
      },
    },
    {
      rule: 'apply whose if: can pass without approval',
      code: 'apply-if-not-gated',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').if =
          '${{ steps.request.output.approved or steps.request.output.autoApproved }}';
      },
      good: s => {
        byId(s, 'apply').if = '  ${{ steps.request.output.approved == true }} ';
      },
    },
    {
      rule: 'apply whose if: is text around an expression (always truthy)',
      code: 'apply-if-not-gated',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').if = 'run: ${{ steps.request.output.approved }}';
      },
      good: () => {},
    },
    {
      rule: "destroy gated on approved instead of the request's destroy output",
      code: 'apply-if-not-gated',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'destroy').if = '${{ steps.request.output.approved }}';
      },
      good: () => {},
    },
    {
      rule: 'apply under a parameter',
      code: 'apply-if-caller-controlled',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').if =
          '${{ steps.request.output.approved and parameters.go }}';
      },
      good: () => {},
    },
    {
      rule: "apply under another step's output",
      code: 'apply-if-caller-controlled',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').if =
          '${{ steps.request.output.approved and steps.plan.output.hasChanges }}';
      },
      good: () => {},
    },
    {
      rule: 'a step after the last apply that runs anyway',
      code: 'step-after-apply-unconditional',
      stepId: 'register',
      bad: s => {
        s.push({ id: 'register', action: 'catalog:register' });
      },
      good: s => {
        s.push({
          id: 'register',
          action: 'catalog:register',
          if: '${{ steps.destroy.output.destroyed }}',
        });
      },
    },
    {
      rule: 'guardrails checking something other than the parameters',
      code: 'guardrails-input-not-wired',
      stepId: 'guardrails',
      bad: s => {
        byId(s, 'guardrails').input!.parameters =
          '${{ parameters.checkedParameters }}';
      },
      good: s => {
        byId(s, 'guardrails').input!.parameters = '${{parameters}}';
      },
    },
    ...['rules', 'stages', 'costCeiling', 'financeThreshold', 'ttlDays'].map(
      key => ({
        rule: `a computed guardrails ${key}`,
        code: 'guardrails-input-not-literal' as const,
        stepId: 'guardrails',
        bad: (s: Steps) => {
          byId(s, 'guardrails').input![key] =
            key === 'rules' || key === 'stages'
              ? [{ id: 'x', quorum: '${{ parameters.quorum }}' }]
              : `\${{ parameters.${key} }}`;
        },
        good: (s: Steps) => {
          const literals: Record<string, unknown> = {
            rules: [],
            stages: [{ name: 'lead', groups: ['group:default/leads'] }],
          };
          byId(s, 'guardrails').input![key] = literals[key] ?? 500;
        },
      }),
    ),
    {
      rule: 'a guardrails monthlyCost the requester chooses',
      code: 'guardrails-input-caller-controlled',
      stepId: 'guardrails',
      bad: s => {
        byId(s, 'guardrails').input!.monthlyCost = '${{ parameters.cost }}';
      },
      good: s => {
        byId(s, 'guardrails').input!.monthlyCost = 12;
      },
    },
    {
      rule: 'a plan without the guardrails tags',
      code: 'plan-input-not-wired',
      stepId: 'plan',
      bad: s => {
        byId(s, 'plan').input!.tags = '${{ parameters.tags }}';
      },
      good: () => {},
    },
    {
      rule: "a plan against another request's state",
      code: 'plan-input-not-wired',
      stepId: 'plan',
      bad: s => {
        byId(s, 'plan').input!.requestKey = '${{ parameters.key }}';
      },
      good: s => {
        byId(s, 'plan').input!.requestKey =
          '${{ steps.guardrails.output.requestKey }}';
        byId(s, 'plan').input!.team = '${{ parameters.team }}';
      },
    },
    {
      rule: 'a plan reading secrets',
      code: 'plan-input-reads-secrets',
      stepId: 'plan',
      bad: s => {
        (byId(s, 'plan').input!.variables as Record<string, unknown>).size =
          '${{ secrets.size }}';
      },
      good: () => {},
    },
    ...[
      ['parameters', '${{ parameters.other }}'],
      ['findings', '${{ parameters.findings }}'],
      ['findings', undefined],
      ['stages', '[]'],
      ['stages', undefined],
      ['expiresAt', '${{ parameters.expiresAt }}'],
      ['cost', '${{ steps.guardrails.output.cost }}'],
      ['planSummary', '${{ parameters.planSummary }}'],
      ['planHash', undefined],
      ['planFileDigest', '${{ parameters.digest }}'],
      ['environment', 'dev'],
      ['team', '${{ parameters.payingTeam }}'],
    ].map(([key, value]) => ({
      rule: `request input ${key} ${value === undefined ? 'missing' : `as ${value}`}`,
      code: 'request-input-not-wired' as const,
      stepId: 'request',
      bad: (s: Steps) => {
        const input = byId(s, 'request').input!;
        if (value === undefined) delete input[key!];
        else input[key!] = value;
      },
      good: (s: Steps) => {
        const input = byId(s, 'request').input!;
        if (key === 'expiresAt' || key === 'planFileDigest') delete input[key];
        if (key === 'stages') {
          input.stages = '${{ steps.guardrails.output.approvalPolicy.stages }}';
        }
        if (key === 'team' || key === 'environment') {
          input[key] = `\${{ steps.guardrails.output.${key} }}`;
        }
      },
    })),
    {
      rule: 'request environment while the guardrails check another',
      code: 'request-input-not-wired',
      stepId: 'request',
      bad: s => {
        byId(s, 'guardrails').input!.environment = 'dev';
      },
      good: s => {
        byId(s, 'guardrails').input!.environment = 'production';
        byId(s, 'request').input!.environment = 'production';
      },
    },
    {
      rule: 'request self-approval the requester chooses',
      code: 'request-input-not-literal',
      stepId: 'request',
      bad: s => {
        byId(s, 'request').input!.allowSelfApprovalOutsideProduction =
          '${{ parameters.selfApprove }}';
      },
      good: s => {
        byId(s, 'request').input!.allowSelfApprovalOutsideProduction = true;
      },
    },
    {
      rule: 'apply with other parameters than were approved',
      code: 'apply-input-not-wired',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').input!.parameters = { name: '${{ parameters.name }}' };
      },
      good: () => {},
    },
    {
      rule: 'destroy without parameters',
      code: 'apply-input-not-wired',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'destroy').input = {};
      },
      good: () => {},
    },
    {
      rule: 'apply redeeming a grant the caller passes',
      code: 'apply-input-not-wired',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').input!.grantToken = '${{ secrets.grant }}';
      },
      good: s => {
        byId(s, 'apply').input!.requestId =
          '${{ steps.request.output.requestId }}';
      },
    },
    {
      rule: 'apply for a request the caller names',
      code: 'apply-input-not-wired',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').input!.requestId = '${{ parameters.requestId }}';
      },
      good: s => {
        byId(s, 'apply').input!.planHash = '${{ steps.plan.output.planHash }}';
      },
    },
    {
      rule: "destroy of another request's state",
      code: 'apply-input-not-wired',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'destroy').input!.requestKey = '${{ parameters.key }}';
      },
      good: s => {
        byId(s, 'destroy').input!.team = '${{ steps.guardrails.output.team }}';
      },
    },
    {
      rule: 'apply in another directory than the plan',
      code: 'apply-other-module',
      stepId: 'apply',
      bad: s => {
        byId(s, 'apply').input!.workingDirectory = 'other';
      },
      good: s => {
        byId(s, 'apply').input!.workingDirectory = './terraform/';
      },
    },
    {
      rule: 'destroy in another directory than the plan',
      code: 'apply-other-module',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'plan').input!.workingDirectory = 'tf';
        byId(s, 'apply').input!.workingDirectory = 'tf';
      },
      good: s => {
        byId(s, 'plan').input!.workingDirectory = 'tf';
        byId(s, 'apply').input!.workingDirectory = 'tf';
        byId(s, 'destroy').input!.workingDirectory = 'tf';
      },
    },
    {
      rule: 'a plan variable fed another parameter than its rule checks',
      code: 'plan-variable-bypasses-rule',
      stepId: 'plan',
      bad: s => {
        (byId(s, 'plan').input!.variables as any).storage_gb =
          '${{ parameters.storage_override }}';
      },
      good: s => {
        (byId(s, 'plan').input!.variables as any).storage_gb =
          '${{ parameters.storage_gb }}';
      },
    },
    {
      rule: 'a rule naming a module variable the plan does not set',
      code: 'plan-variable-bypasses-rule',
      stepId: 'plan',
      bad: s => {
        const rules = byId(s, 'guardrails').input!.rules as any[];
        rules.find(r => r.id === 'max-storage').require.variable = 'disk_gb';
      },
      good: s => {
        const rules = byId(s, 'guardrails').input!.rules as any[];
        rules.find(r => r.id === 'max-storage').require.variable = 'storage_gb';
      },
    },
    {
      rule: 'destroy of another module',
      code: 'apply-other-module',
      stepId: 'destroy',
      bad: s => {
        byId(s, 'destroy').input!.module = '../other-team/module';
      },
      good: s => {
        byId(s, 'destroy').input!.module = 'module';
      },
    },
  ];

  it.each(cases.map(c => [c.rule, c] as const))(
    'reports %s',
    (_, { code, stepId, bad, good }) => {
      const problems = checkTemplate(variant(bad));
      const found = problems.filter(p => p.code === code);
      expect(found).not.toEqual([]);
      for (const problem of found) {
        expect(problem.stepId).toBe(stepId);
        expect(problem.message).toContain(`Step '${stepId}'`);
      }
      expect(checkTemplate(variant(good))).toEqual([]);
    },
  );

  it('reports a secret parameter on a gated template', () => {
    const spec = exampleSpec();
    (spec.parameters as any)[0].properties.password = {
      type: 'string',
      'ui:field': 'Secret',
    };
    expect(checkTemplate(spec)).toEqual([
      {
        code: 'secret-parameter-on-gated-template',
        stepId: undefined,
        message: expect.stringContaining("Parameter 'password' is a secret"),
      },
    ]);
  });

  it('reports a tear-down step that the caller controls', () => {
    const problems = checkTemplate(
      variant(s => {
        byId(s, 'destroy').if = '${{ parameters.destroy }}';
      }),
    );
    expect(problems.map(p => p.code)).toEqual([
      'apply-if-not-gated',
      'apply-if-caller-controlled',
    ]);
    expect(problems[0].message).toBe(
      "Step 'destroy' (terraform:destroy): must run only when the request allows it, under 'if: ${{ steps.request.output.destroy }}', but its 'if:' does not require steps.request.output.destroy",
    );
  });

  it('reads step ids written with brackets and odd spacing', () => {
    const spec = variant(s => {
      for (const step of s) {
        if (step.id === 'request') step.id = 'record-request';
      }
      byId(s, 'apply').if = "${{steps[ 'record-request' ].output.approved}}";
      byId(s, 'destroy').if = '${{ steps["record-request"] . output.destroy }}';
    });
    expect(checkTemplate(spec)).toEqual([]);
  });

  it('reports several problems together, each naming its step', () => {
    const problems = checkTemplate(
      variant(s => {
        byId(s, 'guardrails').if = '${{ parameters.check }}';
        byId(s, 'request').input!.stages = '${{ parameters.stages }}';
        byId(s, 'apply').if = '${{ parameters.x }}';
        return [...s, { id: 'after', action: 'debug:log' }];
      }),
    );
    expect(problems.map(p => [p.stepId, p.code])).toEqual([
      ['guardrails', 'if-on-control-step'],
      ['apply', 'apply-if-not-gated'],
      ['apply', 'apply-if-caller-controlled'],
      ['after', 'step-after-apply-unconditional'],
      ['request', 'request-input-not-wired'],
    ]);
  });

  it('copes with malformed steps without throwing', () => {
    expect(
      codes({
        steps: [
          null as any,
          'text' as any,
          { id: 'request', action: 'self-service:request', input: 'x' as any },
          { id: 'apply', action: 'terraform:apply', if: 42 },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        'guardrails-missing',
        'plan-missing',
        'apply-if-not-gated',
        'apply-if-caller-controlled',
        'request-input-not-wired',
        'apply-input-not-wired',
      ]),
    );
    expect(codes({ steps: { $yaml: './steps.yaml' } as any })).toEqual([]);
  });
});
