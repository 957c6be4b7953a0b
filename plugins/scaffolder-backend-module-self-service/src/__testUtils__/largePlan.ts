import type {
  TerraformPlanJson,
  TerraformResourceChange,
} from '@internal/plugin-self-service-node';

/**
 * A synthetic `show -json` plan with `count` resource changes across child
 * modules, `count`/`for_each` addresses, creates, updates, replaces, deletes,
 * no-ops, data source reads and sensitive attributes, for scale tests and the
 * benchmark.
 */
export function generateLargePlan(count: number): TerraformPlanJson {
  const changes: TerraformResourceChange[] = [];
  const kinds = [
    'create',
    'update',
    'replace',
    'delete',
    'no-op',
    'read',
  ] as const;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    const moduleAddress = `module.team_${i % 50}`;
    const before = {
      identifier: `db-${i}`,
      instance_class: 'db.t4g.small',
      allocated_storage: 20 + (i % 100),
      password: `secret-${i}-value`,
      tags: {
        team: `team-${i % 50}`,
        environment: 'dev',
        'request-key': `req-${i}`,
      },
      parameters: [{ name: 'max_connections', value: String(100 + (i % 7)) }],
    };
    const after = {
      ...before,
      allocated_storage:
        before.allocated_storage + (kind === 'update' ? 10 : 0),
    };
    if (kind === 'replace') after.identifier = `db-${i}-new`;
    const sensitive = { password: true, tags: {}, parameters: [{}] };
    if (kind === 'read') {
      changes.push({
        address: `${moduleAddress}.data.aws_caller_identity.current[${i}]`,
        module_address: moduleAddress,
        mode: 'data',
        type: 'aws_caller_identity',
        name: 'current',
        index: i,
        change: {
          actions: ['read'],
          before: null,
          after: { account_id: '123456789012' },
          after_unknown: { id: true },
        },
      });
      continue;
    }
    changes.push({
      address: `${moduleAddress}.aws_db_instance.this["db-${i}"]`,
      module_address: moduleAddress,
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'this',
      index: `db-${i}`,
      change: {
        actions: kind === 'replace' ? ['delete', 'create'] : [kind],
        before: kind === 'create' ? null : before,
        after: kind === 'delete' ? null : after,
        after_unknown:
          kind === 'create' || kind === 'replace'
            ? { id: true, arn: true, endpoint: true, tags: {} }
            : {},
        before_sensitive: kind === 'create' ? false : sensitive,
        after_sensitive: kind === 'delete' ? false : sensitive,
        ...(kind === 'replace' ? { replace_paths: [['identifier']] } : {}),
      },
      ...(kind === 'replace'
        ? { action_reason: 'replace_because_cannot_update' }
        : {}),
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
  };
}
