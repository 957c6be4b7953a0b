import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import type { CreateRequestBody, SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { initialState, isSelfApprovalAllowed } from '../service/approvals';
import { evaluateLimits, type TeamLimits } from '../service/limits';
import { approverGroupsOf, resourceNameOf } from './derived';
import { type MintedGrant, mintGrant, rotateGrantToken } from './grants';
import { lockTeam, sumUsage } from './ledger';
import { rowToRequest } from './rows';
import type { RequestRow } from './tables';
import { appendEvent, transitionRequest } from './transitions';

/** @internal */
export interface CreateRequestInput {
  body: CreateRequestBody;
  requester: string;
  limits: TeamLimits;
  now: Date;
  decisionTimeoutMs: number;
  grantTtlMs: number;
}

/** @internal */
export interface CreateRequestResult {
  request: SelfServiceRequest;
  /** Only for an auto-approved request, bound to the creating task. */
  grant?: MintedGrant;
  /** False when an earlier call for the same task and step created it. */
  created: boolean;
}

/**
 * A retry of the same scaffolder step gets the request it created before,
 * provided it really is the same submission.
 */
async function replay(
  tx: Knex.Transaction,
  existing: RequestRow,
  input: CreateRequestInput,
): Promise<CreateRequestResult> {
  const { body } = input;
  if (
    existing.requester !== input.requester ||
    existing.parameters_hash !== body.parametersHash ||
    (existing.plan_hash ?? null) !== (body.planHash ?? null) ||
    existing.template_ref !== body.templateRef
  ) {
    throw new ConflictError(
      `taskId/stepId ${body.taskId}/${body.stepId} already recorded request ${existing.id} with different content`,
    );
  }
  const grant =
    existing.state === 'approved'
      ? await rotateGrantToken(tx, existing.id, body.taskId, input.now, body.planFileDigest)
      : undefined;
  return { request: rowToRequest(existing), grant, created: false };
}

function toRow(input: CreateRequestInput, id: string): RequestRow {
  const { body, now } = input;
  return {
    id,
    template_ref: body.templateRef,
    template_uid: body.templateUid ?? null,
    template_steps_hash: body.templateStepsHash,
    parameters: JSON.stringify(body.parameters),
    parameters_hash: body.parametersHash,
    requester: input.requester,
    team: body.team,
    environment: body.environment,
    category: body.category ?? null,
    justification: body.justification ?? null,
    findings: JSON.stringify(body.findings),
    cost: JSON.stringify(body.cost),
    monthly_cost: body.cost.monthlyTotal,
    plan_summary: body.planSummary ? JSON.stringify(body.planSummary) : null,
    plan_hash: body.planHash ?? null,
    approval_policy: JSON.stringify(body.approvalPolicy),
    self_approval_allowed: isSelfApprovalAllowed(body.approvalPolicy, body.environment),
    current_stage: null,
    state: 'submitted',
    state_reason: null,
    decision_deadline: null,
    expires_at: body.expiresAt ? new Date(body.expiresAt) : null,
    task_id: body.taskId,
    step_id: body.stepId,
    task_ids: JSON.stringify([body.taskId]),
    resource_refs: JSON.stringify([]),
    resource_name: resourceNameOf(id, body.parameters),
    outputs: null,
    approver_groups: approverGroupsOf(body.approvalPolicy),
    created_at: now,
    updated_at: now,
  };
}

/**
 * Records a request, checks and reserves the team's budget and quota, and
 * moves it to denied, approved or pending_approval, all in one transaction.
 * @internal
 */
export async function createRequestInTx(
  tx: Knex.Transaction,
  input: CreateRequestInput,
): Promise<CreateRequestResult> {
  const { body, now, requester } = input;
  const existing = await tx<RequestRow>('requests')
    .where({ task_id: body.taskId, step_id: body.stepId })
    .first();
  if (existing) {
    return replay(tx, existing, input);
  }

  const target = initialState(body.approvalPolicy, body.findings);
  if (target !== 'denied') {
    await lockTeam(tx, body.team, now);
    const violations = evaluateLimits({
      limits: input.limits,
      usage: await sumUsage(tx, body.team),
      requestedMonthly: body.cost.monthlyTotal,
    });
    if (violations.length > 0) {
      throw new ConflictError(
        `Request exceeds the limits of ${body.team}: ${violations.join('; ')}`,
      );
    }
  }

  const id = randomUUID();
  const row = toRow(input, id);
  await tx('requests').insert(row);
  await appendEvent(tx, {
    requestId: id,
    actor: requester,
    from: null,
    to: 'submitted',
    action: 'created',
    now,
  });
  // Lower case, as the catalog gives ownership refs: the inbox matches them exactly.
  const approverRows = body.approvalPolicy.stages.flatMap((stage, index) =>
    [...new Set(stage.groups.map(group => group.toLowerCase()))].map(group => ({
      request_id: id,
      stage: index,
      group_ref: group,
    })),
  );
  if (approverRows.length > 0) {
    await tx('request_approvers').insert(approverRows);
  }

  let grant: MintedGrant | undefined;
  if (target === 'denied') {
    const reasons = body.findings.filter(f => f.severity === 'deny').map(f => f.message);
    await transitionRequest(tx, {
      id,
      from: 'submitted',
      to: 'denied',
      actor: requester,
      action: 'denied',
      reason: reasons.join('; '),
      now,
    });
  } else if (target === 'approved') {
    await transitionRequest(tx, {
      id,
      from: 'submitted',
      to: 'approved',
      actor: requester,
      action: 'auto-approved',
      reason: 'the approval policy has no stages',
      now,
    });
    grant = await mintGrant(tx, row, {
      taskId: body.taskId,
      now,
      ttlMs: input.grantTtlMs,
      planFileDigest: body.planFileDigest,
    });
  } else {
    await transitionRequest(tx, {
      id,
      from: 'submitted',
      to: 'pending_approval',
      actor: requester,
      action: 'submitted-for-approval',
      now,
      patch: {
        current_stage: 0,
        decision_deadline: new Date(now.getTime() + input.decisionTimeoutMs),
      },
    });
  }
  const stored = await tx<RequestRow>('requests').where({ id }).first();
  return { request: rowToRequest(stored!), grant, created: true };
}
