import { ConfigReader } from '@backstage/config';
import { resolve } from 'node:path';
import { DEFAULT_GUARDRAILS, readSelfServiceActionsConfig } from './config';

describe('readSelfServiceActionsConfig', () => {
  it('has defaults for everything but app.baseUrl', () => {
    const config = readSelfServiceActionsConfig(
      new ConfigReader({ app: { baseUrl: 'http://localhost:3000/' } }),
    );
    expect(config).toEqual({
      appBaseUrl: 'http://localhost:3000',
      terraform: expect.objectContaining({
        binary: 'terraform',
        workingDirectoryRoot: undefined,
        stateDirectory: resolve('.self-service/terraform-state'),
        timeoutMs: 30 * 60 * 1000,
        killGraceMs: 10_000,
        environment: {},
        backend: undefined,
      }),
      guardrails: DEFAULT_GUARDRAILS,
    });
  });

  it('reads every key', () => {
    const config = readSelfServiceActionsConfig(
      new ConfigReader({
        app: { baseUrl: 'https://backstage.example.com' },
        selfService: {
          terraform: {
            binary: 'tofu',
            workingDirectoryRoot: '/var/lib/ss/work',
            stateDirectory: '/var/lib/ss/state',
            timeout: { minutes: 5 },
            killGracePeriod: '3s',
            environment: { TF_PLUGIN_CACHE_DIR: '/cache' },
            inheritEnvironment: ['PATH', 'AWS_*'],
            backend: {
              type: 's3',
              config: {
                bucket: 'tf-state',
                key: '{team}/{template}/{requestKey}.tfstate',
              },
            },
          },
          guardrails: {
            costCeiling: 1000,
            costCeilingAction: 'require-approval',
            financeThreshold: 500,
            budgetWarningRatio: 0.9,
            stages: { dba: { groups: ['group:default/dba'], quorum: 2 } },
            environments: {
              production: { stage: 'dba' },
              dev: { ttl: { days: 3 } },
            },
          },
        },
      }),
    );
    expect(config.terraform).toEqual({
      binary: 'tofu',
      workingDirectoryRoot: '/var/lib/ss/work',
      stateDirectory: '/var/lib/ss/state',
      timeoutMs: 300_000,
      killGraceMs: 3000,
      environment: { TF_PLUGIN_CACHE_DIR: '/cache' },
      inheritEnvironment: ['PATH', 'AWS_*'],
      backend: {
        type: 's3',
        config: {
          bucket: 'tf-state',
          key: '{team}/{template}/{requestKey}.tfstate',
        },
      },
    });
    expect(config.guardrails).toMatchObject({
      costCeiling: 1000,
      costCeilingAction: 'require-approval',
      financeThreshold: 500,
      budgetWarningRatio: 0.9,
    });
    expect(config.guardrails.stages.dba).toEqual({
      groups: ['group:default/dba'],
      quorum: 2,
    });
    expect(config.guardrails.stages['team-lead']).toBeDefined();
    expect(config.guardrails.environments.production).toEqual({
      requireApproval: true,
      stage: 'dba',
      ttlMs: undefined,
    });
    expect(config.guardrails.environments.dev.ttlMs).toBe(3 * 24 * 3600 * 1000);
  });

  it('rejects an unknown cost ceiling action', () => {
    expect(() =>
      readSelfServiceActionsConfig(
        new ConfigReader({
          app: { baseUrl: 'x' },
          selfService: { guardrails: { costCeilingAction: 'warn' } },
        }),
      ),
    ).toThrow('costCeilingAction must be deny or require-approval, got warn');
  });
});
