import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Check a PostgreSQL request: production needs backups, storage is capped, encryption cannot be turned off',
    example: stringify({
      steps: [
        {
          id: 'guardrails',
          name: 'Check guardrails',
          action: 'self-service:guardrails',
          input: {
            team: '${{ parameters.team }}',
            environment: '${{ parameters.environment }}',
            parameters: {
              instance_size: '${{ parameters.instance_size }}',
              storage_gb: '${{ parameters.storage_gb }}',
              backup_enabled: '${{ parameters.backup_enabled }}',
              environment: '${{ parameters.environment }}',
            },
            rules: [
              {
                id: 'production-backups',
                when: { environment: 'production' },
                require: { parameter: 'backup_enabled', equals: true },
                message: 'Production databases must keep backups',
              },
              {
                id: 'max-storage',
                require: { parameter: 'storage_gb', max: 500 },
                message: 'Storage is at most 500 GB',
              },
              {
                id: 'encryption-forced',
                require: {
                  parameter: 'encrypted',
                  equals: true,
                  ifPresent: true,
                },
                message: 'Encryption at rest is always on',
              },
              {
                id: 'production-dba',
                when: { environment: 'production' },
                severity: 'require-approval',
                message: 'Production databases need a DBA approval',
                approvers: {
                  name: 'dba',
                  groups: ['group:default/dba'],
                  quorum: 1,
                },
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Use a cost computed by an earlier step, with a tighter ceiling and finance threshold than the configured ones',
    example: stringify({
      steps: [
        {
          id: 'guardrails',
          name: 'Check guardrails',
          action: 'self-service:guardrails',
          input: {
            team: 'group:default/team-a',
            environment: 'staging',
            parameters: { size: 'large' },
            monthlyCost: '${{ steps.estimate.output.monthlyTotal }}',
            costCeiling: 800,
            financeThreshold: 300,
            ttlDays: 14,
          },
        },
      ],
    }),
  },
];
