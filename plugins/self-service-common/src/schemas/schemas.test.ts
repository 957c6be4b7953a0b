import { decisionBodySchema } from './approval';
import { createRequestBodySchema } from './request';

const hash = 'a'.repeat(64);
const valid = {
  templateRef: 'template:default/postgres-database',
  templateStepsHash: hash,
  parameters: { instance_size: 'small' },
  parametersHash: hash,
  team: 'group:default/team-a',
  environment: 'dev',
  cost: { currency: 'USD', monthlyTotal: 10, lines: [], unpriced: [] },
  approvalPolicy: { stages: [] },
  taskId: 'task-1',
  stepId: 'request',
};

describe('schemas', () => {
  it('accepts a valid create body and fills defaults', () => {
    const parsed = createRequestBodySchema.parse(valid);
    expect(parsed.findings).toEqual([]);
    expect(parsed.approvalPolicy.allowSelfApprovalOutsideProduction).toBe(false);
  });

  it.each([
    ['templateRef', { templateRef: 'not a ref' }],
    ['environment', { environment: 'prod' }],
    ['parametersHash', { parametersHash: 'xyz' }],
    ['team', { team: '' }],
    ['extra', { extra: 1 }],
  ])('rejects a bad %s and names it', (field, patch) => {
    const result = createRequestBodySchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toContain(field);
  });

  it('requires a comment to reject', () => {
    expect(decisionBodySchema.safeParse({ decision: 'reject' }).success).toBe(false);
    expect(decisionBodySchema.safeParse({ decision: 'reject', comment: 'too big' }).success).toBe(true);
    expect(decisionBodySchema.safeParse({ decision: 'approve' }).success).toBe(true);
    expect(decisionBodySchema.safeParse({ decision: 'maybe' }).success).toBe(false);
  });
});
