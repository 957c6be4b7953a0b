import type {
  ApprovalPolicy,
  CostEstimate,
  Environment,
  Finding,
  PlanSummary,
  RequestDecision,
  RequestEvent,
  RequestState,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { DbDate, DecisionRow, EventRow, RequestRow } from './tables';

/** Normalises the date shapes the two databases return. @internal */
export function toDate(value: DbDate): Date {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number') {
    return new Date(value);
  }
  // SQLite may hand back numbers as strings, or CURRENT_TIMESTAMP text.
  return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
}

/** @internal */
export function toIso(value: DbDate): string {
  return toDate(value).toISOString();
}

function optionalIso(value: DbDate | null): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

/** PostgreSQL returns decimals and sums as strings. @internal */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) {
    return 0;
  }
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

function parseJson<T>(value: string | null, fallback: T): T {
  if (value === null || value === undefined) {
    return fallback;
  }
  return JSON.parse(value) as T;
}

/** Maps a stored request to the API shape; never exposes hashes or tokens. @internal */
export function rowToRequest(row: RequestRow): SelfServiceRequest {
  const request: SelfServiceRequest = {
    id: row.id,
    kind: row.kind ?? 'provision',
    templateRef: row.template_ref,
    templateStepsHash: row.template_steps_hash ?? undefined,
    requester: row.requester,
    team: row.team,
    environment: row.environment as Environment,
    parameters: parseJson<Record<string, unknown>>(row.parameters, {}),
    findings: parseJson<Finding[]>(row.findings, []),
    cost: parseJson<CostEstimate>(row.cost, {
      currency: 'USD',
      monthlyTotal: 0,
      lines: [],
      unpriced: [],
    }),
    approvalPolicy: parseJson<ApprovalPolicy>(row.approval_policy, {
      stages: [],
      allowSelfApprovalOutsideProduction: false,
    }),
    currentStage: row.current_stage ?? null,
    state: row.state as RequestState,
    taskIds: parseJson<string[]>(row.task_ids, []),
    resourceRefs: parseJson<string[]>(row.resource_refs, []),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
  const planSummary = parseJson<PlanSummary | undefined>(
    row.plan_summary,
    undefined,
  );
  if (planSummary) request.planSummary = planSummary;
  if (row.resource_name) request.resourceName = row.resource_name;
  const outputs = parseJson<SelfServiceRequest['outputs']>(row.outputs, undefined);
  if (outputs) request.outputs = outputs;
  if (row.category) request.category = row.category;
  if (row.justification) request.justification = row.justification;
  if (row.state_reason) request.stateReason = row.state_reason;
  const expiresAt = optionalIso(row.expires_at);
  if (expiresAt) request.expiresAt = expiresAt;
  const deadline = optionalIso(row.decision_deadline);
  if (deadline) request.decisionDeadline = deadline;
  if (row.target_request_id) request.targetRequestId = row.target_request_id;
  if (row.state_key) request.stateKey = row.state_key;
  if (row.previous_monthly_cost !== null && row.previous_monthly_cost !== undefined) {
    request.previousMonthlyCost = toNumber(row.previous_monthly_cost);
  }
  if (row.extension_days !== null && row.extension_days !== undefined) {
    request.extension = { days: toNumber(row.extension_days) };
    const from = optionalIso(row.extension_from);
    const to = optionalIso(row.extension_to);
    if (from) request.extension.previousExpiresAt = from;
    if (to) request.extension.newExpiresAt = to;
  }
  return request;
}

/** @internal */
export function rowToDecision(row: DecisionRow): RequestDecision {
  const decision: RequestDecision = {
    id: row.id,
    approver: row.approver,
    stage: toNumber(row.stage),
    decision: row.decision,
    createdAt: toIso(row.created_at),
  };
  if (row.comment) decision.comment = row.comment;
  return decision;
}

/** @internal */
export function rowToEvent(row: EventRow): RequestEvent {
  const event: RequestEvent = {
    id: row.id,
    actor: row.actor,
    fromState: (row.from_state as RequestState | null) ?? null,
    toState: (row.to_state as RequestState | null) ?? null,
    action: row.action,
    createdAt: toIso(row.created_at),
  };
  if (row.reason) event.reason = row.reason;
  return event;
}

/** The row's task ids as stored, with `taskId` added once. @internal */
export function withTask(row: RequestRow, taskId: string): string {
  const ids: string[] = JSON.parse(row.task_ids);
  return JSON.stringify(ids.includes(taskId) ? ids : [...ids, taskId]);
}
