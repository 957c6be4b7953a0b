import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  type ApprovalPolicy,
  formatMoney,
  RESERVING_STATES,
  type RequestKind,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { approverGroupsOf } from './derived';
import { mintGrant, type MintedGrant } from './grants';
import { rowToRequest, toDate, toNumber } from './rows';
import type { GrantRow, RequestRow } from './tables';
import { appendEvent, appendEvents, lockRequest, transitionRequest } from './transitions';
import { hashToken } from './util';

/**
 * Changes and extensions: requests that concern the resource of an earlier
 * (provisioning) request, its "target". They go through the same states,
 * approvals and grants as any request; this module holds what is particular
 * to them: one open follow-up of each kind per resource, the change ticket
 * a day-2 change run is launched with, and what applying one does to the
 * target (a new expiry; new parameters, cost and outputs).
 */

/** A change or extension still on its way: it blocks another of its kind. */
export async function openFollowUp(
  tx: Knex | Knex.Transaction,
  targetId: string,
  kind: Exclude<RequestKind, 'provision'>,
): Promise<RequestRow | undefined> {
  return tx<RequestRow>('requests')
    .where({ target_request_id: targetId, kind })
    .whereIn('state', RESERVING_STATES as string[])
    .first();
}

/** Changes and extensions of a request, newest first. @internal */
export async function listFollowUps(db: Knex, targetId: string): Promise<SelfServiceRequest[]> {
  const rows = await db<RequestRow>('requests')
    .where({ target_request_id: targetId })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(50);
  return rows.map(rowToRequest);
}

/**
 * The resource a change or extension may concern: a succeeded provisioning
 * request, locked for the caller's transaction.
 */
export async function lockLiveTarget(
  tx: Knex.Transaction,
  targetId: string,
  what: string,
): Promise<RequestRow> {
  const target = await lockRequest(tx, targetId);
  if (!target) throw new NotFoundError(`Request ${targetId} not found`);
  if ((target.kind ?? 'provision') !== 'provision') {
    throw new ConflictError(
      `Request ${targetId} is a ${target.kind}, not a resource; ${what} the request it concerns (${target.target_request_id})`,
    );
  }
  if (target.state !== 'succeeded') {
    throw new ConflictError(
      `Request ${targetId} is ${target.state}; only a succeeded resource can be ${what === 'change' ? 'changed' : 'extended'}`,
    );
  }
  return target;
}

/** @internal */
export interface ExtensionInput {
  targetId: string;
  requester: string;
  days: number;
  reason?: string;
  /** Set when the extension needs approval: the stage that decides it. */
  approval?: { policy: ApprovalPolicy; deadline: Date; finding: string };
  now: Date;
  grantTtlMs: number;
}

/**
 * Records an extension of a succeeded resource that has an expiry. Within
 * the auto-approval limit (`approval` unset) it is applied in the same
 * transaction: created, auto-approved, applied, succeeded, with the target's
 * new expiry and an `extended` event on the target. Otherwise it waits for
 * its stage like any request.
 * @internal
 */
export async function createExtensionInTx(
  tx: Knex.Transaction,
  input: ExtensionInput,
): Promise<{ extension: SelfServiceRequest; target: SelfServiceRequest }> {
  const { now, requester } = input;
  const target = await lockLiveTarget(tx, input.targetId, 'extend');
  if (!target.expires_at) {
    throw new ConflictError(
      `Request ${target.id} has no expiry (${target.environment} resources do not expire); there is nothing to extend`,
    );
  }
  const open = await openFollowUp(tx, target.id, 'extension');
  if (open) {
    throw new ConflictError(
      `An extension of request ${target.id} (${open.id}) is already ${open.state}; wait for it or withdraw it`,
    );
  }
  const id = randomUUID();
  const policy: ApprovalPolicy = input.approval?.policy ?? {
    stages: [],
    allowSelfApprovalOutsideProduction: false,
  };
  const waits = policy.stages.length > 0;
  const row: RequestRow = {
    id,
    kind: 'extension',
    target_request_id: target.id,
    state_key: target.state_key,
    previous_monthly_cost: null,
    extension_days: input.days,
    extension_from: null,
    extension_to: null,
    template_ref: target.template_ref,
    template_uid: target.template_uid,
    template_steps_hash: target.template_steps_hash,
    parameters: JSON.stringify({ days: input.days }),
    parameters_hash: target.parameters_hash,
    requester,
    team: target.team,
    environment: target.environment,
    category: target.category,
    justification: input.reason ?? null,
    findings: JSON.stringify(
      waits
        ? [
            {
              code: 'lifecycle.extension-beyond-limit',
              severity: 'require-approval',
              stage: policy.stages[0].name,
              message: input.approval!.finding,
            },
          ]
        : [],
    ),
    cost: JSON.stringify({ currency: 'USD', monthlyTotal: 0, lines: [], unpriced: [] }),
    monthly_cost: 0,
    plan_summary: null,
    plan_hash: null,
    approval_policy: JSON.stringify(policy),
    self_approval_allowed: false,
    current_stage: waits ? 0 : null,
    state: waits ? 'pending_approval' : 'approved',
    state_reason: waits ? input.approval!.finding : 'within the auto-approval limit',
    decision_deadline: waits ? input.approval!.deadline : null,
    expires_at: null,
    // Not a scaffolder run: the extension's own id stands in for the task,
    // which keeps (task_id, step_id) unique.
    task_id: `extension:${id}`,
    step_id: 'extend',
    task_ids: JSON.stringify([]),
    resource_refs: JSON.stringify([]),
    resource_name: target.resource_name,
    outputs: null,
    approver_groups: approverGroupsOf(policy),
    created_at: now,
    updated_at: now,
  };
  await tx('requests').insert(row);
  await appendEvents(tx, [
    { requestId: id, actor: requester, from: null, to: 'submitted', action: 'created', now },
    {
      requestId: id,
      actor: requester,
      from: 'submitted',
      to: row.state as 'approved' | 'pending_approval',
      action: waits ? 'submitted-for-approval' : 'auto-approved',
      reason: row.state_reason ?? undefined,
      now,
    },
    {
      requestId: target.id,
      actor: requester,
      from: 'succeeded',
      to: 'succeeded',
      action: 'extension-requested',
      reason: `extension ${id} by ${input.days} day(s)${waits ? ` waits for ${policy.stages[0].name}` : ''}${
        input.reason ? `: ${input.reason}` : ''
      }`,
      now,
    },
  ]);
  if (waits) {
    await tx('request_approvers').insert(
      policy.stages.flatMap((stage, index) =>
        [...new Set(stage.groups.map(g => g.toLowerCase()))].map(group => ({
          request_id: id,
          stage: index,
          group_ref: group,
          open: index === 0,
        })),
      ),
    );
    return {
      extension: rowToRequest(row),
      target: rowToRequest(target),
    };
  }
  return applyExtensionInTx(tx, { id, actor: requester, now });
}

/**
 * Applies an approved extension: the target's expiry moves by the days asked
 * (from its current expiry, or from now when that has passed), the
 * extension goes approved -> applying -> succeeded with the expiry it moved,
 * its grant (if a decision minted one) is used up, the target's expiry
 * warnings may be sent again for the new date, and the target's timeline
 * says `extended`. A target that is no longer live fails the extension.
 * @internal
 */
export async function applyExtensionInTx(
  tx: Knex.Transaction,
  input: { id: string; actor: string; now: Date },
): Promise<{ extension: SelfServiceRequest; target: SelfServiceRequest }> {
  const { id, actor, now } = input;
  const extension = await lockRequest(tx, id);
  if (!extension || extension.kind !== 'extension') {
    throw new NotFoundError(`Extension ${id} not found`);
  }
  await tx('grants')
    .where({ request_id: id })
    .whereNull('consumed_at')
    .update({ consumed_at: now, consumed_by_task: null });
  const target = await lockRequest(tx, extension.target_request_id!);
  if (!target || target.state !== 'succeeded' || !target.expires_at) {
    await transitionRequest(tx, {
      id,
      from: 'approved',
      to: 'failed',
      actor,
      action: 'extension-failed',
      reason: `request ${extension.target_request_id} is ${target?.state ?? 'gone'}; there is no resource to extend`,
      now,
    });
    const failed = (await tx<RequestRow>('requests').where({ id }).first())!;
    return { extension: rowToRequest(failed), target: rowToRequest(target ?? failed) };
  }
  const days = toNumber(extension.extension_days);
  const from = toDate(target.expires_at);
  const base = from.getTime() > now.getTime() ? from : now;
  const to = new Date(base.getTime() + days * 24 * 3600_000);
  await transitionRequest(tx, {
    id,
    from: 'approved',
    to: 'applying',
    actor,
    action: 'extending',
    now,
  });
  await transitionRequest(tx, {
    id,
    from: 'applying',
    to: 'succeeded',
    actor,
    action: 'extended',
    reason: `expiry moved from ${from.toISOString()} to ${to.toISOString()}`,
    now,
    patch: { extension_from: from, extension_to: to },
  });
  await tx('requests').where({ id: target.id }).update({ expires_at: to, updated_at: now });
  // The warnings before the old date were about a date that no longer holds.
  await tx('request_notices')
    .where({ request_id: target.id })
    .where('kind', 'like', 'expiry-warning:%')
    .delete();
  await appendEvent(tx, {
    requestId: target.id,
    actor,
    from: 'succeeded',
    to: 'succeeded',
    action: 'extended',
    reason: `expiry extended by ${days} day(s) to ${to.toISOString()} (extension ${id})`,
    now,
  });
  const [ext, live] = await Promise.all([
    tx<RequestRow>('requests').where({ id }).first(),
    tx<RequestRow>('requests').where({ id: target.id }).first(),
  ]);
  return { extension: rowToRequest(ext!), target: rowToRequest(live!) };
}

/**
 * Mints the ticket of a day-2 change run: a 'change' grant held on the
 * target, bound to its template and to the new parameters, not yet to a
 * task (the launch binds it). A new ticket replaces an earlier unused one.
 * @internal
 */
export async function mintChangeTicketInTx(
  tx: Knex.Transaction,
  input: {
    targetId: string;
    parametersHash: string;
    actor: string;
    now: Date;
    ttlMs: number;
  },
): Promise<{ target: SelfServiceRequest; ticket: MintedGrant }> {
  const target = await lockLiveTarget(tx, input.targetId, 'change');
  const open = await openFollowUp(tx, target.id, 'change');
  if (open) {
    throw new ConflictError(
      `A change of request ${target.id} (${open.id}) is already ${open.state}; wait for it or withdraw it`,
    );
  }
  await tx('grants').where({ request_id: target.id, purpose: 'change' }).delete();
  const ticket = await mintGrant(
    tx,
    { ...target, parameters_hash: input.parametersHash },
    { taskId: null, now: input.now, ttlMs: input.ttlMs, purpose: 'change' },
  );
  return { target: rowToRequest(target), ticket };
}

/** Binds the unused change ticket to the task launched with it, and says so on the timeline. @internal */
export async function recordChangeLaunchInTx(
  tx: Knex.Transaction,
  input: { targetId: string; taskId: string; actor: string; now: Date },
): Promise<void> {
  await tx('grants')
    .where({ request_id: input.targetId, purpose: 'change' })
    .whereNull('task_id')
    .whereNull('consumed_at')
    .update({ task_id: input.taskId });
  await appendEvent(tx, {
    requestId: input.targetId,
    actor: input.actor,
    from: 'succeeded',
    to: 'succeeded',
    action: 'change-launched',
    reason: `change run ${input.taskId} started by ${input.actor}: it plans the update against the existing resource`,
    now: input.now,
  });
}

/**
 * Checks and uses up the change ticket a run presents when it records its
 * change request: the token, the template, the parameters and the task must
 * all match an unused, unexpired ticket of the target.
 * @internal
 */
export async function consumeChangeTicketInTx(
  tx: Knex.Transaction,
  claim: {
    targetId: string;
    token: string;
    templateRef: string;
    parametersHash: string;
    taskId: string;
    now: Date;
  },
): Promise<void> {
  const grant = await tx<GrantRow>('grants')
    .where({ request_id: claim.targetId, purpose: 'change', token_hash: hashToken(claim.token) })
    .first();
  const refuse = (why: string) => new NotAllowedError(`changeToken: ${why}`);
  if (!grant) throw refuse(`no change of request ${claim.targetId} was started with this ticket`);
  if (grant.consumed_at !== null) throw refuse('the ticket was already used');
  if (toDate(grant.expires_at) <= claim.now) throw refuse('the ticket expired');
  if (grant.template_ref !== claim.templateRef) {
    throw refuse(`the ticket is for ${grant.template_ref}, not ${claim.templateRef}`);
  }
  if (grant.parameters_hash !== claim.parametersHash) {
    throw refuse('the parameters differ from the ones the change was started with');
  }
  if (grant.task_id !== null && grant.task_id !== claim.taskId) {
    throw refuse('the ticket belongs to another scaffolder task');
  }
  const used = await tx('grants')
    .where({ id: grant.id })
    .whereNull('consumed_at')
    .update({ consumed_at: claim.now, consumed_by_task: claim.taskId, task_id: claim.taskId });
  if (used !== 1) throw new ConflictError('changeToken: the ticket was used concurrently');
}

/**
 * What a change request carries from its target: checked against the body
 * the run sent (a change keeps the resource's team, environment and
 * template), and the columns that tie it to the target.
 * @internal
 */
export function changeColumns(
  target: RequestRow,
  body: { team: string; environment: string; templateRef: string },
): Pick<RequestRow, 'kind' | 'target_request_id' | 'state_key' | 'previous_monthly_cost'> {
  if (body.team !== target.team.toLowerCase()) {
    throw new InputError(
      `team: a change cannot move the resource to another team (it belongs to ${target.team})`,
    );
  }
  if (body.environment !== target.environment) {
    throw new InputError(
      `environment: a change cannot move the resource to another environment (it is ${target.environment})`,
    );
  }
  if (body.templateRef !== target.template_ref) {
    throw new InputError(
      `templateRef: the resource was made from ${target.template_ref}, not ${body.templateRef}`,
    );
  }
  return {
    kind: 'change',
    target_request_id: target.id,
    state_key: target.state_key ?? target.task_id,
    previous_monthly_cost: toNumber(target.monthly_cost),
  };
}

/**
 * A change succeeded: its target now is what the change describes (its
 * parameters, plan, cost, outputs and template steps), so the budget moves
 * from the old cost to the new with the change's own row no longer
 * counting, and the target's timeline says `changed`.
 * @internal
 */
export async function applyChangeToTargetInTx(
  tx: Knex.Transaction,
  change: RequestRow,
  input: { actor: string; now: Date; outputs?: string | null; resourceRefs?: string },
): Promise<RequestRow | undefined> {
  const target = await lockRequest(tx, change.target_request_id!);
  if (!target) return undefined;
  const currency = (JSON.parse(change.cost) as { currency?: string }).currency ?? 'USD';
  const before = toNumber(target.monthly_cost);
  const after = toNumber(change.monthly_cost);
  const refs = new Set<string>([
    ...(JSON.parse(target.resource_refs) as string[]),
    ...(input.resourceRefs ? (JSON.parse(input.resourceRefs) as string[]) : []),
  ]);
  const patch: Partial<RequestRow> = {
    parameters: change.parameters,
    parameters_hash: change.parameters_hash,
    cost: change.cost,
    monthly_cost: change.monthly_cost,
    plan_summary: change.plan_summary,
    plan_hash: change.plan_hash,
    template_steps_hash: change.template_steps_hash,
    template_uid: change.template_uid,
    resource_name: change.resource_name,
    resource_refs: JSON.stringify([...refs]),
    ...(input.outputs ? { outputs: input.outputs } : {}),
    updated_at: input.now,
  };
  await tx('requests').where({ id: target.id }).update(patch);
  await appendEvent(tx, {
    requestId: target.id,
    actor: input.actor,
    from: target.state as 'succeeded',
    to: target.state as 'succeeded',
    action: 'changed',
    reason: `change ${change.id} applied: ${formatMoney(before, currency)} → ${formatMoney(after, currency)} per month`,
    now: input.now,
  });
  return { ...target, ...patch } as RequestRow;
}
