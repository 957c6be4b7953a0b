import type { ApprovalPolicy, ApprovalStage } from '../schemas/approval';
import type { Finding } from '../schemas/findings';
import type { Environment } from '../schemas/request';
import type { RequestState } from '../state';
import type { RequestDecision } from '../types';

/**
 * The approval policy engine: pure functions over a request's policy and its
 * recorded decisions. The store calls them inside the transaction that holds
 * the request's row lock, so what they decide is what gets written; the
 * backend's detail view and the frontend's "why can't I decide" use the same
 * functions, so they never disagree with it.
 */

/** Who is deciding. @public */
export interface Decider {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** The parts of a request the engine looks at. @public */
export interface DecidableRequest {
  requester: string;
  environment: Environment;
  approvalPolicy: ApprovalPolicy;
  state: RequestState;
  currentStage: number | null;
  decisionDeadline?: string;
}

/** @public */
export type DecisionRecord = Pick<
  RequestDecision,
  'approver' | 'stage' | 'decision'
>;

/** Why a caller may not decide, or undefined when they may. @public */
export type DecideRefusal =
  | {
      code: 'not-pending' | 'deadline-passed' | 'already-decided';
      message: string;
    }
  | { code: 'self-approval' | 'not-approver'; message: string };

/** Self-approval is only ever possible outside production. @public */
export function isSelfApprovalAllowed(
  policy: ApprovalPolicy,
  environment: Environment,
): boolean {
  return (
    policy.allowSelfApprovalOutsideProduction && environment !== 'production'
  );
}

/** The stage waiting for decisions, if any. @public */
export function currentStageOf(
  request: DecidableRequest,
): ApprovalStage | undefined {
  if (request.state !== 'pending_approval' || request.currentStage === null) {
    return undefined;
  }
  return request.approvalPolicy.stages[request.currentStage];
}

/** Returns why `decider` may not decide `request` now, or undefined. @public */
export function checkDecider(options: {
  request: DecidableRequest;
  decisions: DecisionRecord[];
  decider: Decider;
  now: Date;
}): DecideRefusal | undefined {
  const { request, decisions, decider, now } = options;
  const stage = currentStageOf(request);
  if (!stage) {
    return {
      code: 'not-pending',
      message: `request is ${request.state}, only pending_approval requests can be decided`,
    };
  }
  if (request.decisionDeadline && new Date(request.decisionDeadline) <= now) {
    return {
      code: 'deadline-passed',
      message: `the decision deadline ${request.decisionDeadline} has passed`,
    };
  }
  if (
    decider.userEntityRef === request.requester &&
    !isSelfApprovalAllowed(request.approvalPolicy, request.environment)
  ) {
    return {
      code: 'self-approval',
      message: 'a requester cannot decide their own request',
    };
  }
  // Entity refs compare case-insensitively.
  const claims = new Set(
    [decider.userEntityRef, ...decider.ownershipEntityRefs].map(ref =>
      ref.toLowerCase(),
    ),
  );
  if (!stage.groups.some(group => claims.has(group.toLowerCase()))) {
    return {
      code: 'not-approver',
      message: `only members of ${stage.groups.join(', ')} can decide stage '${stage.name}'`,
    };
  }
  const already = decisions.some(
    d =>
      d.stage === request.currentStage && d.approver === decider.userEntityRef,
  );
  if (already) {
    return {
      code: 'already-decided',
      message: `${decider.userEntityRef} has already decided stage '${stage.name}'`,
    };
  }
  return undefined;
}

/** What a recorded decision does to the request. @public */
export type DecisionOutcome =
  | { kind: 'rejected' }
  | { kind: 'waiting'; approvals: number; quorum: number }
  | { kind: 'advanced'; nextStage: number }
  | { kind: 'approved' };

/**
 * Evaluates the current stage after a decision was added to `decisions`.
 * A rejection in the current stage rejects the request.
 * @internal
 */
export function outcomeOf(options: {
  policy: ApprovalPolicy;
  stageIndex: number;
  decisions: DecisionRecord[];
}): DecisionOutcome {
  const { policy, stageIndex, decisions } = options;
  const stage = policy.stages[stageIndex];
  const atStage = decisions.filter(d => d.stage === stageIndex);
  if (atStage.some(d => d.decision === 'reject')) {
    return { kind: 'rejected' };
  }
  const approvals = new Set(
    atStage.filter(d => d.decision === 'approve').map(d => d.approver),
  ).size;
  const quorum = stage?.quorum ?? 1;
  if (approvals < quorum) {
    return { kind: 'waiting', approvals, quorum };
  }
  return stageIndex + 1 < policy.stages.length
    ? { kind: 'advanced', nextStage: stageIndex + 1 }
    : { kind: 'approved' };
}

/**
 * Where a new request starts: guardrail denials deny it, an empty policy
 * approves it, otherwise it waits for the first stage.
 * @internal
 */
export function initialState(
  policy: ApprovalPolicy,
  findings: Finding[],
): 'denied' | 'approved' | 'pending_approval' {
  if (findings.some(f => f.severity === 'deny')) {
    return 'denied';
  }
  return policy.stages.length === 0 ? 'approved' : 'pending_approval';
}

/** Progress of each stage, for the detail view. @public */
export function stageProgress(
  request: DecidableRequest,
  decisions: DecisionRecord[],
): Array<ApprovalStage & { approvals: number; decided: boolean }> {
  return request.approvalPolicy.stages.map((stage, index) => {
    const atStage = decisions.filter(d => d.stage === index);
    const approvals = new Set(
      atStage.filter(d => d.decision === 'approve').map(d => d.approver),
    ).size;
    const rejected = atStage.some(d => d.decision === 'reject');
    return {
      ...stage,
      approvals,
      decided: rejected || approvals >= stage.quorum,
    };
  });
}
