import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  checkDecider,
  type Decider,
  type DecisionOutcome,
  outcomeOf,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { type MintedGrant, mintGrant } from './grants';
import { rowToDecision, rowToRequest } from './rows';
import type { DecisionRow, RequestRow } from './tables';
import {
  appendEvent,
  lockRequest,
  syncOpenApprovers,
  transitionRequest,
} from './transitions';

/** @internal */
export interface DecideInput {
  id: string;
  decider: Decider;
  decision: 'approve' | 'reject';
  comment?: string;
  now: Date;
  grantTtlMs: number;
}

/** @internal */
export interface DecideResult {
  request: SelfServiceRequest;
  outcome: DecisionOutcome;
  /** Minted when this decision approved the request; only this caller sees the token. */
  grant?: MintedGrant;
}

/**
 * Records one decision with the request row locked, so that concurrent
 * approvers are evaluated one after the other: only the transaction whose
 * decision completes the last stage moves the request to approved and mints
 * its grant.
 * @internal
 */
export async function decideInTx(
  tx: Knex.Transaction,
  input: DecideInput,
): Promise<DecideResult> {
  const { id, decider, now } = input;
  const row = await lockRequest(tx, id);
  if (!row) {
    throw new NotFoundError(`Request ${id} not found`);
  }
  const request = rowToRequest(row);
  const decisions = (
    await tx<DecisionRow>('decisions').where({ request_id: id })
  ).map(rowToDecision);
  assertCanDecide({ request, decisions, decider, now });

  const stage = request.currentStage!;
  await tx('decisions').insert({
    id: randomUUID(),
    request_id: id,
    approver: decider.userEntityRef,
    stage,
    decision: input.decision,
    comment: input.comment ?? null,
    created_at: now,
  });
  const outcome = outcomeOf({
    policy: request.approvalPolicy,
    stageIndex: stage,
    decisions: [
      ...decisions,
      { approver: decider.userEntityRef, stage, decision: input.decision },
    ],
  });
  const stageName = request.approvalPolicy.stages[stage]?.name ?? String(stage);
  const action = `${input.decision}d-stage-${stage}`;

  let grant: MintedGrant | undefined;
  if (outcome.kind === 'rejected') {
    await transitionRequest(tx, {
      id,
      from: 'pending_approval',
      to: 'rejected',
      actor: decider.userEntityRef,
      action,
      reason: input.comment ?? `rejected at stage '${stageName}'`,
      now,
      patch: { current_stage: null },
    });
  } else if (outcome.kind === 'approved') {
    await transitionRequest(tx, {
      id,
      from: 'pending_approval',
      to: 'approved',
      actor: decider.userEntityRef,
      action,
      reason: input.comment,
      now,
      patch: { current_stage: null },
    });
    grant = await mintGrant(tx, row, {
      taskId: null,
      now,
      ttlMs: input.grantTtlMs,
    });
  } else {
    if (outcome.kind === 'advanced') {
      const count = await tx('requests')
        .where({ id, state: 'pending_approval', current_stage: stage })
        .update({ current_stage: outcome.nextStage, updated_at: now });
      if (count !== 1) {
        throw new ConflictError(
          `Request ${id} changed while deciding; try again`,
        );
      }
      await syncOpenApprovers(tx, id, {
        state: 'pending_approval',
        stage: outcome.nextStage,
      });
    }
    await appendEvent(tx, {
      requestId: id,
      actor: decider.userEntityRef,
      from: 'pending_approval',
      to: 'pending_approval',
      action,
      reason:
        outcome.kind === 'advanced'
          ? `stage '${stageName}' passed`
          : `${outcome.approvals} of ${outcome.quorum} approvals at stage '${stageName}'`,
      now,
    });
  }
  const stored = await tx<RequestRow>('requests').where({ id }).first();
  return { request: rowToRequest(stored!), outcome, grant };
}

/** Throws the typed error matching why `checkDecider` refuses. */
function assertCanDecide(options: Parameters<typeof checkDecider>[0]): void {
  const refusal = checkDecider(options);
  if (!refusal) return;
  if (refusal.code === 'self-approval' || refusal.code === 'not-approver') {
    throw new NotAllowedError(refusal.message);
  }
  throw new ConflictError(refusal.message);
}
