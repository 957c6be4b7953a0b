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

/**
 * What a request asks for: a new resource ('provision'), a day-2 change of
 * an existing one ('change', an update plan against its state) or more time
 * before it expires ('extension').
 * @public
 */
export type RequestKind = 'provision' | 'change' | 'extension';

/** What an extension request asks for and, once applied, what it did. @public */
export interface ExtensionDetails {
  days: number;
  /** The resource's expiry when the extension was applied. */
  previousExpiresAt?: string;
  /** The resource's expiry after it. */
  newExpiresAt?: string;
}

/** A request as the API returns it (never secrets). @public */
export interface SelfServiceRequest {
  id: string;
  /** 'provision' when absent (requests recorded before kinds existed). */
  kind?: RequestKind;
  /** A change or extension: the request whose resource it changes or extends. */
  targetRequestId?: string;
  /** A change: the resource's monthly cost before it (the delta is `cost.monthlyTotal` minus this). */
  previousMonthlyCost?: number;
  /** An extension: the days asked for and the expiry it moved. */
  extension?: ExtensionDetails;
  /** Keys the resource's Terraform state: the same for its changes and its tear-down. */
  stateKey?: string;
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
  /** The caller may ask to extend the expiry (a succeeded resource with one). */
  canExtend?: boolean;
  /** The caller may start a day-2 change (a succeeded resource, no change open). */
  canChange?: boolean;
  /** The extension limits of the request's environment, when it can be extended. */
  extensionPolicy?: ExtensionPolicy;
  /** Changes and extensions of this request, newest first. */
  followUps?: Array<
    Pick<SelfServiceRequest, 'id' | 'kind' | 'state' | 'requester' | 'createdAt'> & {
      extension?: ExtensionDetails;
    }
  >;
}

/** How far a resource of one environment may be extended. @public */
export interface ExtensionPolicy {
  /** Extensions of up to this many days are approved at once. */
  autoApproveDays: number;
  /** No single extension may ask for more. */
  maxDays: number;
  /** The approval stage that decides longer extensions. */
  stage: string;
}

/** Response of `POST /requests/:id/extend`. @public */
export interface ExtendResponse {
  /** The extension request: succeeded when applied at once, else pending_approval. */
  extension: SelfServiceRequest;
  /** The extended request as it is now. */
  target: SelfServiceRequest;
}

/** Response of `POST /requests/:id/changes`. @public */
export interface ChangeLaunchResponse {
  /** The scaffolder task that plans the change and records its request. */
  taskId: string;
  /** The app path of that task's page. */
  taskPath: string;
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
