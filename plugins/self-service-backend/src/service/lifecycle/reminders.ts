import { PLUGIN_ACTOR } from '../launchPhase';
import { requestLink } from '../notifier';
import { humanDuration, type LifecycleDeps, requestLabel } from './types';

/** Notice kinds of a stage's reminder and escalation. @internal */
export const reminderKind = (stage: number) => `reminder:${stage}`;
/** @internal */
export const escalationKind = (stage: number) => `escalation:${stage}`;

/**
 * Reminds the approvers of a stage that has waited `reminderAfter` (default
 * 24 h), and after `escalateAfter` (default 48 h) adds the `escalateTo`
 * group as approvers of that stage, each once per stage. Escalation only
 * widens who may decide: the requester still cannot approve their own
 * request unless its policy allowed that before, and the quorum stays.
 * @internal
 */
export async function remindApprovers(
  deps: LifecycleDeps,
): Promise<{ reminded: number; escalated: number }> {
  const { store, notifier, notifications, logger, lifecycle } = deps;
  const result = { reminded: 0, escalated: 0 };
  const now = deps.now();
  const waiting = (await store.lifecycle.findWaitingStages()).filter(
    w =>
      // Past its deadline it is the expiry sweep's, not the approvers'.
      !(
        w.request.decisionDeadline &&
        Date.parse(w.request.decisionDeadline) <= now.getTime()
      ) &&
      now.getTime() - w.since.getTime() >=
      Math.min(
        lifecycle.reminderAfterMs,
        lifecycle.escalateTo ? lifecycle.escalateAfterMs : Infinity,
      ),
  );
  const notices = await store.lifecycle.noticesOf(
    waiting.map(w => w.request.id),
  );
  for (const { request, stage: index, since } of waiting) {
    const id = request.id;
    const stage = request.approvalPolicy.stages[index];
    if (!stage) continue;
    const done = notices.get(id) ?? new Set<string>();
    const waited = now.getTime() - since.getTime();
    try {
      // Who already decided this stage is not reminded.
      const deciders = async () =>
        ((await store.getRequestDetail(id))?.decisions ?? [])
          .filter(d => d.stage === index)
          .map(d => d.approver);
      const group = lifecycle.escalateTo;
      if (
        group &&
        waited >= lifecycle.escalateAfterMs &&
        !done.has(escalationKind(index))
      ) {
        const escalated = await store.lifecycle.escalateStage({
          id,
          stage: index,
          group,
          actor: PLUGIN_ACTOR,
          reason: `nobody decided stage '${stage.name}' within ${humanDuration(lifecycle.escalateAfterMs)}; ${group} added as its approvers`,
          now,
        });
        if (escalated) {
          result.escalated += 1;
          notifier.changed(escalated, { state: request.state, currentStage: index });
          await notifications?.send({
            recipients: {
              type: 'entity',
              entityRef: group,
              excludeEntityRef: [request.requester, ...(await deciders())],
            },
            payload: {
              title: `Escalated: approval needed for ${requestLabel(request)} of ${request.team}`,
              description: `Stage '${stage.name}' of ${request.requester}'s ${request.environment} request has waited ${humanDuration(waited)} for its approvers (${stage.groups.join(', ')}); ${group} may now decide it.`,
              link: requestLink(id),
              severity: 'high',
              topic: 'self-service-approval',
              scope: `self-service:${id}:${escalationKind(index)}`,
            },
          });
        }
      }
      if (
        notifications &&
        waited >= lifecycle.reminderAfterMs &&
        !done.has(reminderKind(index)) &&
        (await store.lifecycle.claimNotice(id, reminderKind(index), now))
      ) {
        result.reminded += 1;
        await notifications.send({
          recipients: {
            type: 'entity',
            entityRef: stage.groups,
            excludeEntityRef: [request.requester, ...(await deciders())],
          },
          payload: {
            title: `Reminder: approval needed for ${requestLabel(request)} of ${request.team}`,
            description: `${request.requester}'s ${request.environment} request has waited ${humanDuration(waited)} at stage '${stage.name}' (${stage.quorum} approval(s) needed).`,
            link: requestLink(id),
            severity: request.environment === 'production' ? 'high' : 'normal',
            topic: 'self-service-approval',
            scope: `self-service:${id}:${reminderKind(index)}`,
          },
        });
      }
    } catch (error) {
      logger.warn(`Failed to remind the approvers of request ${id}: ${error}`);
    }
  }
  return result;
}
