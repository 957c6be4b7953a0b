import type { ApprovalPolicy } from '../schemas/approval';
import {
  checkDecider,
  type DecidableRequest,
  initialState,
  isSelfApprovalAllowed,
  outcomeOf,
  stageProgress,
} from './approvals';

const LEADS = 'group:default/leads';
const FINANCE = 'group:default/finance';
const policy: ApprovalPolicy = {
  stages: [
    { name: 'lead', groups: [LEADS], quorum: 2 },
    { name: 'finance', groups: [FINANCE], quorum: 1 },
  ],
  allowSelfApprovalOutsideProduction: false,
};
const now = new Date('2026-01-01T00:00:00Z');
const pending: DecidableRequest = {
  requester: 'user:default/alice',
  environment: 'dev',
  approvalPolicy: policy,
  state: 'pending_approval',
  currentStage: 0,
  decisionDeadline: '2026-01-08T00:00:00.000Z',
};
const lead = (name: string) => ({
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, LEADS],
});

describe('approval policy engine', () => {
  it('lets a member of the current stage decide once', () => {
    expect(
      checkDecider({
        request: pending,
        decisions: [],
        decider: lead('bob'),
        now,
      }),
    ).toBeUndefined();
    expect(
      checkDecider({
        request: pending,
        decisions: [
          { approver: 'user:default/bob', stage: 0, decision: 'approve' },
        ],
        decider: lead('bob'),
        now,
      }),
    ).toMatchObject({ code: 'already-decided' });
  });

  it('compares group refs case-insensitively, as entity refs do', () => {
    const stageNamedInCapitals = {
      ...pending,
      approvalPolicy: {
        ...pending.approvalPolicy,
        stages: [{ name: 'lead', groups: [LEADS.toUpperCase()], quorum: 1 }],
      },
    };
    expect(
      checkDecider({
        request: stageNamedInCapitals,
        decisions: [],
        decider: lead('bob'),
        now,
      }),
    ).toBeUndefined();
  });

  it.each([
    [
      'not pending',
      { ...pending, state: 'approved' as const },
      lead('bob'),
      'not-pending',
    ],
    [
      'past the deadline',
      { ...pending, decisionDeadline: '2025-12-31T00:00:00.000Z' },
      lead('bob'),
      'deadline-passed',
    ],
    ['the requester', pending, lead('alice'), 'self-approval'],
    [
      'an outsider',
      pending,
      { userEntityRef: 'user:default/eve', ownershipEntityRefs: [FINANCE] },
      'not-approver',
    ],
  ])('refuses %s', (_label, request, decider, code) => {
    expect(
      checkDecider({ request, decisions: [], decider, now }),
    ).toMatchObject({ code });
  });

  it('allows self-approval only outside production and only when the policy says so', () => {
    const relaxed = { ...policy, allowSelfApprovalOutsideProduction: true };
    expect(isSelfApprovalAllowed(relaxed, 'dev')).toBe(true);
    expect(isSelfApprovalAllowed(relaxed, 'staging')).toBe(true);
    expect(isSelfApprovalAllowed(relaxed, 'production')).toBe(false);
    expect(isSelfApprovalAllowed(policy, 'dev')).toBe(false);
    const request = { ...pending, approvalPolicy: relaxed };
    expect(
      checkDecider({ request, decisions: [], decider: lead('alice'), now }),
    ).toBeUndefined();
    expect(
      checkDecider({
        request: { ...request, environment: 'production' },
        decisions: [],
        decider: lead('alice'),
        now,
      }),
    ).toMatchObject({ code: 'self-approval' });
  });

  it('waits for quorum, advances, approves at the last stage', () => {
    const a = {
      approver: 'user:default/a',
      stage: 0,
      decision: 'approve' as const,
    };
    const b = {
      approver: 'user:default/b',
      stage: 0,
      decision: 'approve' as const,
    };
    const f = {
      approver: 'user:default/f',
      stage: 1,
      decision: 'approve' as const,
    };
    expect(outcomeOf({ policy, stageIndex: 0, decisions: [a] })).toEqual({
      kind: 'waiting',
      approvals: 1,
      quorum: 2,
    });
    expect(outcomeOf({ policy, stageIndex: 0, decisions: [a, b] })).toEqual({
      kind: 'advanced',
      nextStage: 1,
    });
    expect(outcomeOf({ policy, stageIndex: 1, decisions: [a, b, f] })).toEqual({
      kind: 'approved',
    });
  });

  it('rejects on one rejection in the current stage, even after approvals', () => {
    const decisions = [
      { approver: 'user:default/a', stage: 0, decision: 'approve' as const },
      { approver: 'user:default/b', stage: 0, decision: 'reject' as const },
    ];
    expect(outcomeOf({ policy, stageIndex: 0, decisions })).toEqual({
      kind: 'rejected',
    });
  });

  it('counts one approver once', () => {
    const twice = [
      { approver: 'user:default/a', stage: 0, decision: 'approve' as const },
      { approver: 'user:default/a', stage: 0, decision: 'approve' as const },
    ];
    expect(outcomeOf({ policy, stageIndex: 0, decisions: twice }).kind).toBe(
      'waiting',
    );
  });

  it('starts denied, approved or pending', () => {
    const deny = [{ code: 'x', severity: 'deny' as const, message: 'no' }];
    const warn = [{ code: 'x', severity: 'warn' as const, message: 'hm' }];
    expect(initialState(policy, deny)).toBe('denied');
    expect(initialState({ ...policy, stages: [] }, warn)).toBe('approved');
    expect(initialState(policy, warn)).toBe('pending_approval');
  });

  it('reports stage progress', () => {
    const decisions = [
      { approver: 'user:default/a', stage: 0, decision: 'approve' as const },
      { approver: 'user:default/b', stage: 0, decision: 'approve' as const },
    ];
    expect(stageProgress({ ...pending, currentStage: 1 }, decisions)).toEqual([
      { ...policy.stages[0], approvals: 2, decided: true },
      { ...policy.stages[1], approvals: 0, decided: false },
    ]);
  });
});
