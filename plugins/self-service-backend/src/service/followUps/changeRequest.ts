import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  ChangeLaunchResponse,
  ChangeRequestBody,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import { hashParameters } from '@internal/plugin-self-service-node';
import type { Caller } from '../caller';
import type { Launcher } from '../launcher';
import { type FollowUpDeps, loadManagedTarget } from './extendRequest';

function sameGroup(value: string, team: string): boolean {
  try {
    const ref = parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' });
    return stringifyEntityRef(ref).toLowerCase() === team.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * A change keeps who owns the resource and where it runs. The run's request
 * step is held to that authoritatively (the body it records must name the
 * resource's team and environment); this says so before anything starts,
 * for the parameters conventionally named after them.
 */
function assertSameHome(target: SelfServiceRequest, parameters: Record<string, unknown>) {
  const { team, environment } = parameters;
  if (typeof team === 'string' && !sameGroup(team, target.team)) {
    throw new InputError(
      `parameters.team: a change cannot move the resource to another team (it belongs to ${target.team})`,
    );
  }
  if (environment !== undefined && environment !== target.environment) {
    throw new InputError(
      `parameters.environment: a change cannot move the resource to another environment (it is ${target.environment})`,
    );
  }
}

/**
 * The scaffolder's refusal of the run, as this API's own 4xx: values the
 * template's parameter schema refuses are bad input here too, and the
 * caller learns why rather than a 500.
 */
function launchRefusal(error: unknown, templateRef: string): unknown {
  if (!ResponseError.is(error)) return error;
  const why = error.body?.error?.message ?? error.message;
  switch (error.statusCode) {
    case 400:
    case 422:
      return new InputError(`parameters: ${templateRef} refuses them: ${why}`);
    case 401:
    case 403:
      return new NotAllowedError(`The scaffolder does not let you run ${templateRef}: ${why}`);
    case 404:
      return new NotFoundError(`${templateRef} is no longer in the catalog: ${why}`);
    default:
      return error;
  }
}

/**
 * Starts a day-2 change of a succeeded resource: mints the change ticket
 * (bound to the template and the new parameters) and launches the
 * resource's template through the scaffolder as the caller, with the ticket
 * in the task secrets. That run plans against the resource's existing
 * Terraform state (its guardrails step reads the state key from the
 * resource) and records the change request, which the backend then judges
 * like any request: guardrails, the update plan, the cost difference
 * against the team's budget, and approvals. Returns the run's task.
 * @internal
 */
export async function startChange(
  deps: FollowUpDeps & { launcher?: Launcher },
  id: string,
  body: ChangeRequestBody,
  caller: Caller,
): Promise<ChangeLaunchResponse> {
  const { store, settings, launcher } = deps;
  const target = await loadManagedTarget(deps, id, caller, 'change');
  if ((target.kind ?? 'provision') !== 'provision' || target.state !== 'succeeded') {
    throw new ConflictError(
      `Request ${id} is ${target.kind === 'provision' || !target.kind ? target.state : `a ${target.kind}`}; only a succeeded resource can be changed`,
    );
  }
  assertSameHome(target, body.parameters);
  if (!launcher?.launchChange || !settings.launchEnabled) {
    throw new ConflictError(
      'Changes are started through the scaffolder, and this backend does not launch runs (selfService.launch.enabled is false)',
    );
  }
  const now = deps.now();
  const { ticket } = await store.mintChangeTicket({
    targetId: id,
    parametersHash: hashParameters(body.parameters),
    actor: caller.userEntityRef,
    now,
    ttlMs: settings.grantTtlMs,
  });
  let taskId: string;
  try {
    ({ taskId } = await launcher.launchChange({
      target,
      parameters: body.parameters,
      ticket: ticket.token,
      credentials: caller.credentials,
    }));
  } catch (error) {
    await store.voidChangeTicket(id, deps.now());
    throw launchRefusal(error, target.templateRef);
  }
  await store.recordChangeLaunch({
    targetId: id,
    taskId,
    actor: caller.userEntityRef,
    now: deps.now(),
  });
  deps.logger.info(`Request ${id}: change run ${taskId} started by ${caller.userEntityRef}`);
  const current = await store.getRequest(id);
  if (current) deps.notifier.changed(current, { state: current.state, currentStage: null });
  return { taskId, taskPath: `/create/tasks/${encodeURIComponent(taskId)}` };
}
