import { createHash } from 'node:crypto';
import type { Entity } from '@backstage/catalog-model';
import {
  type CostEstimate,
  createRequestBodySchema,
  type CreateRequestBody,
} from '@internal/plugin-self-service-common';
import {
  DEFAULT_GUARDRAILS,
  hashParameters,
  hashPlanSummary,
  sha256OfCanonicalJson,
} from '@internal/plugin-self-service-node';
import type { TeamLimits } from '../service/limits';

/**
 * The steps of the fixture template in the mock catalog: the shape of the
 * shipped templates, which the backend checks before it records a request.
 */
export const TEMPLATE_STEPS = [
  {
    id: 'guardrails',
    action: 'self-service:guardrails',
    input: {
      team: '${{ parameters.team }}',
      environment: '${{ parameters.environment }}',
      parameters: '${{ parameters }}',
    },
  },
  {
    id: 'plan',
    action: 'terraform:plan',
    input: {
      module: './module',
      variables: { name: '${{ parameters.name }}' },
      tags: '${{ steps.guardrails.output.tags }}',
    },
  },
  {
    id: 'request',
    action: 'self-service:request',
    input: {
      parameters: '${{ parameters }}',
      team: '${{ parameters.team }}',
      environment: '${{ parameters.environment }}',
      findings: '${{ steps.guardrails.output.findings }}',
      stages: '${{ steps.guardrails.output.stages }}',
      expiresAt: '${{ steps.guardrails.output.expiresAt }}',
      cost: '${{ steps.plan.output.cost }}',
      planSummary: '${{ steps.plan.output.planSummary }}',
      planHash: '${{ steps.plan.output.planHash }}',
      planFileDigest: '${{ steps.plan.output.planFileDigest }}',
    },
  },
  {
    id: 'apply',
    action: 'terraform:apply',
    if: '${{ steps.request.output.approved }}',
    input: { parameters: '${{ parameters }}' },
  },
  {
    id: 'destroy',
    action: 'terraform:destroy',
    if: '${{ steps.request.output.destroy }}',
    input: { parameters: '${{ parameters }}' },
  },
];

/** The fixture requests' Template entity, with the steps their hash was taken of. */
export function templateEntity(steps: unknown[] = TEMPLATE_STEPS): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'postgres-database', namespace: 'default' },
    spec: { type: 'database', steps },
  } as Entity;
}

/** The organisation's guardrails in the service tests: the defaults. */
export const GUARDRAILS = DEFAULT_GUARDRAILS;

/**
 * What the service needs to derive a request's requirements: the fixture
 * template for any ref, a price book that prices nothing (the plan's cost
 * stands) and the default guardrails.
 */
export function authority(steps: unknown[] = TEMPLATE_STEPS) {
  return {
    templates: { getTemplate: async () => templateEntity(steps) },
    estimator: {
      estimate: async (): Promise<CostEstimate> => ({
        currency: 'USD',
        monthlyTotal: 0,
        lines: [{ item: 'postgres-database', monthly: null }],
        unpriced: ['postgres-database'],
      }),
    },
  };
}

/** A sha256 hex digest of a label, for hash fields. */
export function sha(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

export const TEAM = 'group:default/team-a';
export const OTHER_TEAM = 'group:default/team-b';
export const ALICE = 'user:default/alice'; // requester, member of team-a
export const BOB = 'user:default/bob'; // team-a lead
export const CAROL = 'user:default/carol'; // finance
export const MALLORY = 'user:default/mallory'; // member of team-b only
export const LEADS = 'group:default/team-a-leads';
export const FINANCE = 'group:default/finance';

let counter = 0;

/** A valid create body; override any field. */
export const PLAN_SUMMARY = {
  counts: { create: 1, update: 0, delete: 0, replace: 0 },
  resources: [
    {
      address: 'aws_db_instance.main',
      type: 'aws_db_instance',
      action: 'create',
      changes: [{ path: 'instance_class', after: 'db.t3.small' }],
    },
  ],
};

/**
 * A valid create body whose hashes match its parameters and plan, as the
 * request action computes them; override any field.
 */
export function requestBody(
  patch: Partial<Record<keyof CreateRequestBody, unknown>> = {},
): CreateRequestBody {
  counter += 1;
  const parameters = (patch.parameters as Record<string, unknown>) ?? {
    name: `db-${counter}`,
    instance_size: 'small',
  };
  return createRequestBodySchema.parse({
    templateRef: 'template:default/postgres-database',
    templateStepsHash: sha256OfCanonicalJson(TEMPLATE_STEPS),
    parameters,
    parametersHash: hashParameters(parameters),
    team: TEAM,
    environment: 'dev',
    cost: { currency: 'USD', monthlyTotal: 100, lines: [], unpriced: [] },
    planSummary: PLAN_SUMMARY,
    planHash: hashPlanSummary(PLAN_SUMMARY as any),
    approvalPolicy: { stages: [{ name: 'team-lead', groups: [LEADS], quorum: 1 }] },
    taskId: `task-${counter}`,
    stepId: 'request',
    ...patch,
  });
}

export function limits(patch: Partial<TeamLimits> = {}): TeamLimits {
  return {
    team: TEAM,
    currency: 'USD',
    monthlyBudget: 1000,
    resourceQuota: 100,
    ...patch,
  };
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
