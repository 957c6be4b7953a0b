import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { SelfServiceSettings } from './config';
import type { Launcher } from './launcher';
import type { RequestNotifier } from './notifier';

/** The plugin's own actor name in events. @internal */
export const PLUGIN_ACTOR = 'plugin:self-service';

/**
 * Starts the apply phase of a request that was just approved and records the
 * launched task. When the launch fails the request fails too, which releases
 * its reservation, rather than waiting for the grant to lapse.
 * @internal
 */
export async function launchApplyPhase(
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
    const { taskId } = await launcher.launch(request, token);
    const launched = await store.recordLaunch({
      id: request.id,
      taskId,
      actor: PLUGIN_ACTOR,
      now: now(),
    });
    await notifier.changed(launched, request);
    return launched;
  } catch (error) {
    logger.error(
      `Failed to launch the apply phase of request ${request.id}`,
      error as Error,
    );
    try {
      const failed = await store.transition({
        id: request.id,
        from: 'approved',
        to: 'failed',
        actor: PLUGIN_ACTOR,
        action: 'launch-failed',
        reason: `could not start the apply phase: ${(error as Error).message}`,
        now: now(),
      });
      await notifier.changed(failed, request);
      return failed;
    } catch {
      // The launched task already moved it on; report what is stored.
      return (await store.getRequest(request.id)) ?? request;
    }
  }
}
