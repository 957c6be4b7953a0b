import { checkTemplate } from './templateChecks';

const guardrails = { id: 'guardrails', action: 'self-service:guardrails' };
const plan = { id: 'plan', action: 'terraform:plan' };
const request = { id: 'request', action: 'self-service:request' };
const apply = {
  id: 'apply',
  action: 'terraform:apply',
  if: '${{ steps.request.output.approved }}',
};
const destroy = {
  id: 'destroy',
  action: 'terraform:destroy',
  if: '${{ steps.request.output.destroy }}',
  input: { parameters: '${{ parameters }}' },
};

describe('checkTemplate', () => {
  it('accepts the gated shape', () => {
    expect(
      checkTemplate({ steps: [guardrails, plan, request, apply] }),
    ).toEqual([]);
  });

  it.each([
    [
      'apply before request',
      { steps: [plan, apply, request] },
      'apply-before-request',
    ],
    [
      'apply without any request',
      { steps: [plan, { ...apply, if: undefined }] },
      'apply-before-request',
    ],
    [
      'apply under a parameter',
      { steps: [request, { ...apply, if: '${{ parameters.approved }}' }] },
      'apply-if-caller-controlled',
    ],
    [
      'apply under a secret',
      { steps: [request, { ...apply, if: '${{ secrets.go }}' }] },
      'apply-if-caller-controlled',
    ],
    [
      'apply under another step output',
      {
        steps: [plan, request, { ...apply, if: '${{ steps.plan.output.ok }}' }],
      },
      'apply-if-caller-controlled',
    ],
    [
      'a step after apply that runs anyway',
      {
        steps: [request, apply, { id: 'register', action: 'catalog:register' }],
      },
      'step-after-apply-unconditional',
    ],
    [
      'a secret parameter on a gated template',
      {
        parameters: [
          {
            properties: { password: { type: 'string', 'ui:field': 'Secret' } },
          },
        ],
        steps: [request, apply],
      },
      'secret-parameter-on-gated-template',
    ],
  ])('flags %s', (_, spec, code) => {
    const problems = checkTemplate(spec as any);
    expect(problems.map(p => p.code)).toContain(code);
    expect(problems.every(p => p.message.length > 20)).toBe(true);
  });

  it('accepts the gated shape with the tear-down step after apply', () => {
    expect(
      checkTemplate({ steps: [guardrails, plan, request, apply, destroy] }),
    ).toEqual([]);
  });

  it('flags a tear-down step that the caller controls or that runs before the request', () => {
    expect(
      checkTemplate({
        steps: [
          request,
          apply,
          { ...destroy, if: '${{ parameters.destroy }}' },
        ],
      }).map(p => p.code),
    ).toEqual(['apply-if-caller-controlled']);
    expect(
      checkTemplate({ steps: [destroy, request, apply] }).map(p => p.code),
    ).toContain('apply-before-request');
  });

  it('accepts a step after apply guarded on its output', () => {
    const register = {
      id: 'register',
      action: 'catalog:register',
      if: '${{ steps.apply.output.applied }}',
    };
    expect(checkTemplate({ steps: [request, apply, register] })).toEqual([]);
  });

  it('reports several problems together', () => {
    const problems = checkTemplate({
      parameters: {
        properties: { token: { type: 'string', 'ui:widget': 'password' } },
      },
      steps: [
        { ...apply, if: '${{ parameters.x }}' },
        request,
        { id: 'after', action: 'debug:log' },
      ],
    });
    expect([...new Set(problems.map(p => p.code))].sort()).toEqual([
      'apply-before-request',
      'apply-if-caller-controlled',
      'secret-parameter-on-gated-template',
      'step-after-apply-unconditional',
    ]);
  });
});
