import type {
  SelfServiceRequest,
  SelfServiceRequestDetail,
  TeamUsage,
} from '@internal/plugin-self-service-common';

export const REQUEST_ID = '8f14e45f-ceea-467a-9575-8a3b3c1f0c01';

/** A pending production database request, as the API returns it. */
export function makeRequest(
  overrides: Partial<SelfServiceRequest> = {},
): SelfServiceRequest {
  return {
    id: REQUEST_ID,
    templateRef: 'template:default/postgres-database',
    requester: 'user:default/dev',
    team: 'group:default/team-a',
    environment: 'production',
    category: 'database',
    justification: 'Orders service needs its own database',
    parameters: {
      name: 'orders-db',
      instance_size: 'large',
      storage_gb: 100,
      backup_enabled: true,
    },
    findings: [
      {
        code: 'environment.production',
        severity: 'require-approval',
        message: 'Production requests need the team lead',
      },
      {
        code: 'backup.retention',
        severity: 'warn',
        message: 'Backup retention is only 7 days',
      },
    ],
    cost: {
      currency: 'USD',
      monthlyTotal: 412.5,
      lines: [
        {
          item: 'aws_db_instance.main',
          resourceType: 'aws_db_instance',
          monthly: 400,
        },
        { item: 'storage 100 GB', monthly: 12.5 },
        { item: 'aws_kms_key.db', resourceType: 'aws_kms_key', monthly: null },
      ],
      unpriced: ['aws_kms_key.db'],
      priceBookVersion: '2026-01',
    },
    planSummary: {
      counts: { create: 1, update: 1, delete: 1, replace: 1 },
      resources: [
        {
          address: 'aws_db_instance.main',
          type: 'aws_db_instance',
          mode: 'managed',
          action: 'create',
          changes: [
            { path: 'instance_class', after: 'db.r6g.large' },
            { path: 'password', after: 'hunter2-leaked', sensitive: true },
            { path: 'endpoint', afterUnknown: true },
          ],
        },
        {
          address: 'aws_security_group.db',
          type: 'aws_security_group',
          mode: 'managed',
          action: 'update',
          changes: [{ path: 'description', before: 'old', after: 'new' }],
        },
        {
          address: 'aws_db_parameter_group.main',
          type: 'aws_db_parameter_group',
          mode: 'managed',
          action: 'replace',
          changes: [
            { path: 'family', before: 'postgres14', after: 'postgres16' },
          ],
        },
        {
          address: 'aws_s3_bucket.old_backups',
          type: 'aws_s3_bucket',
          mode: 'managed',
          action: 'delete',
          changes: [],
        },
      ],
      drift: [],
    },
    approvalPolicy: {
      stages: [
        {
          name: 'team-lead',
          groups: ['group:default/team-a-leads'],
          quorum: 1,
        },
        { name: 'dba', groups: ['group:default/dba'], quorum: 2 },
      ],
      allowSelfApprovalOutsideProduction: false,
    },
    currentStage: 1,
    state: 'pending_approval',
    taskIds: ['task-123'],
    resourceRefs: [],
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-10T10:05:00.000Z',
    ...overrides,
  };
}

export function makeDetail(
  overrides: Partial<SelfServiceRequestDetail> = {},
): SelfServiceRequestDetail {
  const base = makeRequest();
  return {
    ...base,
    stages: [
      { ...base.approvalPolicy.stages[0], approvals: 1, decided: true },
      { ...base.approvalPolicy.stages[1], approvals: 1, decided: false },
    ],
    decisions: [
      {
        id: 'd1',
        approver: 'user:default/lead',
        stage: 0,
        decision: 'approve',
        comment: 'Looks right for the orders launch',
        createdAt: '2026-01-10T11:00:00.000Z',
      },
      {
        id: 'd2',
        approver: 'user:default/dba-alice',
        stage: 1,
        decision: 'approve',
        createdAt: '2026-01-10T12:00:00.000Z',
      },
    ],
    events: [
      {
        id: 'e1',
        actor: 'user:default/dev',
        fromState: null,
        toState: 'submitted',
        action: 'create',
        createdAt: '2026-01-10T10:00:00.000Z',
      },
      {
        id: 'e2',
        actor: 'plugin:self-service',
        fromState: 'submitted',
        toState: 'pending_approval',
        action: 'route',
        reason: 'production needs the team lead',
        createdAt: '2026-01-10T10:00:01.000Z',
      },
    ],
    canDecide: false,
    canCancel: false,
    canDestroy: false,
    ...overrides,
  };
}

export function makeUsage(overrides: Partial<TeamUsage> = {}): TeamUsage {
  return {
    team: 'group:default/team-a',
    currency: 'USD',
    budget: { limit: 1000, live: 300, reserved: 412.5, remaining: 287.5 },
    quota: { limit: 5, live: 2, reserved: 1, remaining: 2 },
    ...overrides,
  };
}
