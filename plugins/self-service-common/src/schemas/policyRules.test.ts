import { policyRuleSchema } from './policyRules';

describe('policyRuleSchema', () => {
  it('accepts the documented forms and fills the default severity', () => {
    expect(
      policyRuleSchema.parse({
        id: 'prod-backups',
        when: { environment: 'production' },
        require: { param: 'backup_enabled', equals: true },
      }),
    ).toEqual({
      id: 'prod-backups',
      when: { environment: 'production' },
      require: { parameter: 'backup_enabled', equals: true },
      severity: 'deny',
    });
    expect(
      policyRuleSchema.parse({
        id: 'dba',
        when: { environment: ['staging', 'production'] },
        severity: 'require-approval',
        approvers: { name: 'dba', groups: ['group:default/dba'] },
      }).approvers,
    ).toEqual({ name: 'dba', groups: ['group:default/dba'], quorum: 1 });
  });

  it.each([
    ['no require and no when', { id: 'x' }, 'needs `require`, `when`, or both'],
    [
      'a requirement without an operator',
      { id: 'x', require: { parameter: 'a' } },
      'needs one of equals',
    ],
    [
      'an unknown operator',
      { id: 'x', require: { parameter: 'a', between: [1, 2] } },
      'between',
    ],
    [
      'both stage and approvers',
      {
        id: 'x',
        when: { a: 1 },
        stage: 's',
        approvers: { name: 's', groups: ['group:default/g'] },
      },
      'either `stage` or `approvers`',
    ],
    ['a bad id', { id: 'has space', when: { a: 1 } }, 'letters, digits'],
    [
      'a bad severity',
      { id: 'x', when: { a: 1 }, severity: 'block' },
      'severity',
    ],
  ])('rejects %s', (_what, rule, message) => {
    const result = policyRuleSchema.safeParse(rule);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toContain(message);
  });
});
