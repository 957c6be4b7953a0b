import { makeTemplate } from '../../__testUtils__/templateEntity';
import { templateApprovers } from './templateApprovals';

describe('templateApprovers', () => {
  it('reads guardrail rule approvers with their condition and literal request stages', () => {
    expect(templateApprovers(makeTemplate())).toEqual([
      {
        name: 'team-lead',
        groups: ['group:default/team-a-leads'],
        quorum: 1,
        when: 'environment is production',
        reason: 'Production requires a manager approval.',
      },
      { name: 'dba', groups: ['group:default/dba'], quorum: 2 },
    ]);
  });

  it('ignores templated stages and steps of other actions', () => {
    const entity = makeTemplate({
      spec: {
        steps: [
          {
            action: 'self-service:request',
            input: { stages: '${{ steps.guardrails.output.stages }}' },
          },
          {
            action: 'fetch:plain',
            input: { stages: [{ name: 'x', groups: ['group:default/x'] }] },
          },
          {
            action: 'self-service:request',
            input: {
              approvalPolicy: { stages: [{ name: 'no-groups', groups: [] }] },
            },
          },
        ],
      },
    });
    expect(templateApprovers(entity)).toEqual([]);
  });
});
