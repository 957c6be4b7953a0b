import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { SelfServiceSettings } from './config';
import type { Launcher } from './launcher';
import type { RequestNotifier } from './notifier';

/** The plugin's own actor name in events. @internal */
export const PLUGIN_ACTOR = 'plugin:self-service';

/** @internal */
export interface LaunchDeps {
  launcher?: Launcher;
  store: SelfServiceStore;
  notifier: RequestNotifier;
  logger: LoggerService;
  settings: SelfServiceSettings;
  now: () => Date;
}

/** What differs between launching the apply phase and the tear-down. */
interface Phase {
  /** For log lines and the stored reason: "the apply phase". */
  name: string;
  operation?: 'destroy';
  /** Stores the launched task on the request. */
  record(
    store: SelfServiceStore,
    input: { id: string; taskId: string; actor: string; now: Date },
  ): Promise<SelfServiceRequest>;
  /** Moves the request on when the launch fails, so it does not hang. */
  undo(
    store: SelfServiceStore,
    input: {
      id: string;
      actor: string;
      action: string;
      reason: string;
      now: Date;
    },
  ): Promise<SelfServiceRequest>;
}

/**
 * Apply: a launch failure fails the request, which releases its reservation,
 * rather than waiting for the grant to lapse.
 */
const APPLY: Phase = {
  name: 'the apply phase',
  record: (store, input) => store.recordLaunch(input),
  undo: (store, input) =>
    store.transition({ ...input, from: 'approved', to: 'failed' }),
};

/**
 * Tear-down: a launch failure returns the request to succeeded (the resource
 * is still there and still counts against the team's budget) instead of
 * leaving it in destroying.
 */
const DESTROY: Phase = {
  name: 'the tear-down',
  operation: 'destroy',
  record: (store, input) => store.recordDestroyLaunch(input),
  undo: (store, input) => store.abortDestroy(input),
};

async function launchPhase(
  deps: LaunchDeps,
  request: SelfServiceRequest,
  token: string,
  phase: Phase,
): Promise<SelfServiceRequest> {
  const { launcher, store, notifier, logger, settings, now } = deps;
  if (!launcher || !settings.launchEnabled) {
    return request;
  }
  try {
    const { taskId } = phase.operation
      ? await launcher.launch(request, token, { operation: phase.operation })
      : await launcher.launch(request, token);
    const launched = await phase.record(store, {
      id: request.id,
      taskId,
      actor: PLUGIN_ACTOR,
      now: now(),
    });
    notifier.changed(launched, request);
    return launched;
  } catch (error) {
    logger.error(
      `Failed to launch ${phase.name} of request ${request.id}`,
      error as Error,
    );
    try {
      const undone = await phase.undo(store, {
        id: request.id,
        actor: PLUGIN_ACTOR,
        action: 'launch-failed',
        reason: `could not start ${phase.name}: ${(error as Error).message}`,
        now: now(),
      });
      notifier.changed(undone, request);
      return undone;
    } catch {
      // The launched task already moved it on; report what is stored.
      return (await store.getRequest(request.id)) ?? request;
    }
  }
}

/** Starts the apply phase of a request that was just approved. @internal */
export const launchApplyPhase = (
  deps: LaunchDeps,
  request: SelfServiceRequest,
  token: string,
) => launchPhase(deps, request, token, APPLY);

/**
 * Starts the tear-down of a request that just moved to destroying: the same
 * template, launched with the destroy grant and the 'destroy' operation.
 * @internal
 */
export const launchDestroyPhase = (
  deps: LaunchDeps,
  request: SelfServiceRequest,
  token: string,
) => launchPhase(deps, request, token, DESTROY);
