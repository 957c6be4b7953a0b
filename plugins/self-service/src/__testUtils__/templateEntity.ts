import type { Entity } from '@backstage/catalog-model';

/** The example postgres template, trimmed to what the cards read. */
export function makeTemplate(overrides: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'postgres-database',
      namespace: 'default',
      annotations: {},
    },
    spec: {
      type: 'database',
      parameters: [
        {
          title: 'Database',
          properties: {
            name: { type: 'string' },
            team: { type: 'string', 'ui:field': 'OwnedEntityPicker' },
            instance_size: {
              type: 'string',
              enum: ['small', 'medium', 'large'],
              default: 'small',
            },
            storage_gb: {
              type: 'integer',
              minimum: 20,
              maximum: 500,
              default: 50,
            },
            backup_enabled: { type: 'boolean', default: true },
          },
        },
      ],
      steps: [
        {
          id: 'guardrails',
          action: 'self-service:guardrails',
          input: {
            rules: [
              {
                id: 'max-storage',
                require: { parameter: 'storage_gb', max: 500 },
                severity: 'deny',
              },
              {
                id: 'production-approval',
                when: { environment: 'production' },
                severity: 'require-approval',
                message: 'Production requires a manager approval.',
                approvers: {
                  name: 'team-lead',
                  groups: ['group:default/team-a-leads'],
                  quorum: 1,
                },
              },
            ],
          },
        },
        {
          id: 'request',
          action: 'self-service:request',
          input: {
            stages: [{ name: 'dba', groups: ['group:default/dba'], quorum: 2 }],
          },
        },
      ],
    },
    ...overrides,
  };
}
