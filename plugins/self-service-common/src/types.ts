import type { ApprovalPolicy, ApprovalStage } from './schemas/approval';
import type { CostEstimate } from './schemas/cost';
import type { Finding } from './schemas/findings';
import type { PlanSummary } from './schemas/plan';
import type { Environment } from './schemas/request';
import type { RequestState } from './state';

/** A decision recorded on a request. @public */
export interface RequestDecision {
  id: string;
  approver: string;
  stage: number;
  decision: 'approve' | 'reject';
  comment?: string;
  createdAt: string;
}

/** An append-only event on a request. @public */
export interface RequestEvent {
  id: string;
  actor: string;
  fromState: RequestState | null;
  toState: RequestState | null;
  action: string;
  reason?: string;
  createdAt: string;
}

/** A request as the API returns it (never secrets). @public */
export interface SelfServiceRequest {
  id: string;
  templateRef: string;
  /** Hash of the template's steps when the request was recorded. */
  templateStepsHash?: string;
  requester: string;
  team: string;
  environment: Environment;
  category?: string;
  justification?: string;
  parameters: Record<string, unknown>;
  findings: Finding[];
  cost: CostEstimate;
  planSummary?: PlanSummary;
  approvalPolicy: ApprovalPolicy;
  currentStage: number | null;
  state: RequestState;
  stateReason?: string;
  expiresAt?: string;
  decisionDeadline?: string;
  taskIds: string[];
  resourceRefs: string[];
  /**
   * Name of the provisioned resource: the `name` parameter when the template
   * has one, else the first 8 characters of the request id.
   */
  resourceName?: string;
  /** Non-sensitive Terraform outputs, once the apply succeeded. */
  outputs?: Record<string, string | number | boolean>;
  createdAt: string;
  updatedAt: string;
}

/** Detail view: the request with its stages, decisions and events. @public */
export interface SelfServiceRequestDetail extends SelfServiceRequest {
  stages: Array<ApprovalStage & { approvals: number; decided: boolean }>;
  decisions: RequestDecision[];
  events: RequestEvent[];
  canDecide: boolean;
  canCancel: boolean;
  /** The caller may start the tear-down (the request is succeeded). */
  canDestroy: boolean;
  /**
   * The caller may delete this request record (pending or rejected, and the
   * caller requested it); the audit log keeps its events.
   */
  canDelete?: boolean;
}

/** A page of a cursor-paginated list. @public */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A team's budget and quota. @public */
export interface TeamUsage {
  team: string;
  currency: string;
  budget: { limit: number; live: number; reserved: number; remaining: number };
  quota: { limit: number; live: number; reserved: number; remaining: number };
  /**
   * The team group's `self-service.io/cost-center` annotation, when it has
   * one: guardrails tag resources with it.
   */
  costCenter?: string;
}

/** Response of `POST /requests`. @public */
export interface CreateRequestResponse {
  request: SelfServiceRequest;
  /** Only when auto-approved; bound to the creating task, single use. */
  grant?: {
    token: string;
    expiresAt: string;
    /** The plan file the grant is bound to, when the body named one. */
    planFileDigest?: string;
  };
}

/** Response of `POST /grants/redeem`. @public */
export interface RedeemGrantResponse {
  redeemed: true;
  grantId: string;
}
