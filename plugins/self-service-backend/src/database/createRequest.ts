import { randomUUID } from 'node:crypto';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  type CreateRequestBody,
  evaluateLimits,
  formatMoney,
  initialState,
  isSelfApprovalAllowed,
  type RequestState,
  type SelfServiceRequest,
  type TeamLimits,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { approverGroupsOf, resourceNameOf } from './derived';
import {
  changeColumns,
  consumeChangeTicketInTx,
  lockLiveTarget,
  openFollowUp,
} from './followUps';
import { type MintedGrant, mintGrant, rotateGrantToken } from './grants';
import { lockTeam, sumUsage } from './ledger';
import { rowToRequest } from './rows';
import type { RequestRow } from './tables';
import { appendEvents, vetTransition } from './transitions';

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
    kind: 'provision',
    target_request_id: null,
    // The task that first plans a resource keys its Terraform state.
    state_key: body.taskId,
    previous_monthly_cost: null,
    extension_days: null,
    extension_from: null,
    extension_to: null,
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

/** Vets a change run's claim on its target and uses up its ticket. */
async function changeOf(tx: Knex.Transaction, input: CreateRequestInput) {
  const { body, now } = input;
  if (!body.changeToken) {
    throw new NotAllowedError(
      'changeToken: a change is recorded only by the run the backend started for it (POST /requests/:id/changes)',
    );
  }
  const targetRow = await lockLiveTarget(tx, body.changeOf!, 'change');
  // The ticket first: a run without a valid one learns nothing more. Its
  // use is undone with the transaction if anything below refuses.
  await consumeChangeTicketInTx(tx, {
    targetId: targetRow.id,
    token: body.changeToken,
    templateRef: body.templateRef,
    parametersHash: body.parametersHash,
    taskId: body.taskId,
    now,
  });
  const columns = changeColumns(targetRow, body);
  const open = await openFollowUp(tx, targetRow.id, 'change');
  if (open) {
    throw new ConflictError(
      `A change of request ${targetRow.id} (${open.id}) is already ${open.state}`,
    );
  }
  return columns;
}

/** How a new request leaves `submitted`, by the state it starts in. */
function firstTransition(
  target: RequestState,
  input: CreateRequestInput,
): { action: string; reason?: string; patch?: Partial<RequestRow> } {
  const { body, now } = input;
  switch (target) {
    case 'denied':
      return {
        action: 'denied',
        reason: body.findings
          .filter(f => f.severity === 'deny')
          .map(f => f.message)
          .join('; '),
      };
    case 'approved':
      return { action: 'auto-approved', reason: 'the approval policy has no stages' };
    default:
      return {
        action: 'submitted-for-approval',
        patch: {
          current_stage: 0,
          decision_deadline: new Date(now.getTime() + input.decisionTimeoutMs),
        },
      };
  }
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

  // A day-2 change: its resource must be live with no other change open,
  // and the run must hold the ticket the backend launched it with.
  const change = body.changeOf ? await changeOf(tx, input) : undefined;
  const target = initialState(body.approvalPolicy, body.findings);
  if (target !== 'denied') {
    await lockTeam(tx, body.team, now);
    // A change adds only the difference to the team's spend, and no resource.
    const requestedMonthly = change
      ? Math.max(0, body.cost.monthlyTotal - Number(change.previous_monthly_cost))
      : body.cost.monthlyTotal;
    const violations = evaluateLimits({
      limits: input.limits,
      usage: await sumUsage(tx, body.team),
      requestedMonthly,
      requestedCount: change ? 0 : 1,
    });
    if (violations.length > 0) {
      throw new ConflictError(
        `Request exceeds the limits of ${body.team}: ${violations.join('; ')}`,
      );
    }
  }

  // The request is written in the state it starts in, with both events
  // (created, then the first transition), instead of being inserted as
  // submitted and moved on: inside this transaction nobody can see it in
  // between, so the compare-and-set a later transition needs has nothing to
  // guard here. The state machine still vets the move.
  const id = randomUUID();
  const first = firstTransition(target, input);
  vetTransition('submitted', target);
  const row: RequestRow = {
    ...toRow(input, id),
    ...change,
    // A change keeps the resource's expiry; the target holds it.
    ...(change ? { expires_at: null } : {}),
    state: target,
    state_reason: first.reason ?? null,
    ...first.patch,
  };
  await tx('requests').insert(row);
  await appendEvents(tx, [
    ...(change
      ? [
          {
            requestId: change.target_request_id!,
            actor: requester,
            from: 'succeeded' as const,
            to: 'succeeded' as const,
            action: 'change-requested',
            reason: `change ${id} (${target}): ${formatMoney(
              Number(change.previous_monthly_cost),
              body.cost.currency,
            )} → ${formatMoney(body.cost.monthlyTotal, body.cost.currency)} per month`,
            now,
          },
        ]
      : []),
    { requestId: id, actor: requester, from: null, to: 'submitted', action: 'created', now },
    {
      requestId: id,
      actor: requester,
      from: 'submitted',
      to: target,
      action: first.action,
      reason: first.reason,
      now,
    },
  ]);
  // Lower case, as the catalog gives ownership refs: the inbox matches them
  // exactly. The rows of the stage the request waits on are open.
  const approverRows = body.approvalPolicy.stages.flatMap((stage, index) =>
    [...new Set(stage.groups.map(group => group.toLowerCase()))].map(group => ({
      request_id: id,
      stage: index,
      group_ref: group,
      open: target === 'pending_approval' && index === row.current_stage,
    })),
  );
  if (approverRows.length > 0) {
    await tx('request_approvers').insert(approverRows);
  }

  const grant =
    target === 'approved'
      ? await mintGrant(tx, row, {
          taskId: body.taskId,
          now,
          ttlMs: input.grantTtlMs,
          planFileDigest: body.planFileDigest,
        })
      : undefined;
  // The row as written: no need to read it back.
  return { request: rowToRequest(row), grant, created: true };
}
