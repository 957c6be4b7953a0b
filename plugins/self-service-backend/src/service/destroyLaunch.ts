import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import { PLUGIN_ACTOR } from './applyLaunch';
import type { SelfServiceSettings } from './config';
import type { Launcher } from './launcher';
import type { RequestNotifier } from './notifier';

/**
 * Starts the tear-down run of a request that just moved to destroying: the
 * same template, launched with the destroy grant and the 'destroy'
 * operation, and records the task. When the launch fails the request goes
 * back to succeeded with the reason (the resource is still there, and still
 * counts against the team's budget) instead of staying in destroying.
 * @internal
 */
export async function launchDestroyPhase(
  deps: {
    launcher?: Launcher;
    store: SelfServiceStore;
    notifier: RequestNotifier;
    logger: LoggerService;
    settings: SelfServiceSettings;
    now: () => Date;
  },
  request: SelfServiceRequest,
  token: string,
): Promise<SelfServiceRequest> {
  const { launcher, store, notifier, logger, settings, now } = deps;
  if (!launcher || !settings.launchEnabled) {
    return request;
  }
  try {
    const { taskId } = await launcher.launch(request, token, {
      operation: 'destroy',
    });
    const launched = await store.recordDestroyLaunch({
      id: request.id,
      taskId,
      actor: PLUGIN_ACTOR,
      now: now(),
    });
    await notifier.changed(launched, request);
    return launched;
  } catch (error) {
    logger.error(
      `Failed to launch the tear-down of request ${request.id}`,
      error as Error,
    );
    try {
      const restored = await store.abortDestroy({
        id: request.id,
        actor: PLUGIN_ACTOR,
        action: 'launch-failed',
        reason: `could not start the tear-down: ${(error as Error).message}`,
        now: now(),
      });
      await notifier.changed(restored, request);
      return restored;
    } catch {
      // The launched task already moved it on; report what is stored.
      return (await store.getRequest(request.id)) ?? request;
    }
  }
}
