import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { PriceBookLoader } from '@internal/plugin-self-service-node';
import { SelfServiceStore } from './database/SelfServiceStore';
import { readSettings } from './service/config';
import { PriceBookEstimator } from './service/estimator';
import { CatalogTemplateSource } from './service/templates';
import { ScaffolderLauncher } from './service/launcher';
import { CatalogTeamLimits, LIMIT_DEFAULTS } from './service/limits';
import { GrantChecker } from './service/grantCheck';
import { CachedTeamLimits } from './service/limitsCache';
import { RequestNotifier } from './service/notifier';
import { registerPermissions } from './service/permissions';
import { RequestReader } from './service/RequestReader';
import { RequestService } from './service/RequestService';
import { createRouter } from './service/router';
import { createIdentity } from './service/router/identity';
import { readLifecycleSettings, runLifecycle } from './service/lifecycle';
import { syncInFlightRequests } from './service/statusSync';
import { TeamReadAccess } from './service/teamAccess';
import { scheduleSweeps } from './service/sweeps';
import { ScaffolderTaskStatusSource } from './service/taskStatus';

/**
 * The self-service backend plugin: requests, approvals, grants, budgets,
 * audit, the approver inbox, the apply launcher and the expiry sweep.
 * @public
 */
export const selfServicePlugin = createBackendPlugin({
  pluginId: 'self-service',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger, permissions, permissionsRegistry } = deps;
        const settings = readSettings(config);
        const store = await SelfServiceStore.create({ database: deps.database });

        const ruleset = registerPermissions(permissionsRegistry, ids =>
          store.getRequestsByIds(ids),
        );

        const limits = new CachedTeamLimits({
          source: new CatalogTeamLimits(deps),
          ttlMs: settings.limitsCacheTtlMs,
        });
        const notifier = new RequestNotifier(deps);
        // Notifications go out after the API answers; deliver what is queued before stopping.
        deps.lifecycle.addShutdownHook(() => notifier.settled());
        const estimator = new PriceBookEstimator(
          PriceBookLoader.fromConfig(config),
          config.getOptionalString('selfService.defaults.currency') ??
            LIMIT_DEFAULTS.currency,
        );
        const launcher = new ScaffolderLauncher(deps);
        const service = new RequestService({
          store,
          templates: new CatalogTemplateSource(deps),
          estimator,
          limits,
          permissions,
          ruleset,
          settings,
          logger,
          notifier,
          launcher,
        });
        const lifecycleSettings = readLifecycleSettings(config);
        const reader = new RequestReader({
          store,
          limits,
          permissions,
          ruleset,
          extensions: settings.extensions,
        });

        deps.httpRouter.use(
          createRouter({
            service,
            reader,
            identity: createIdentity(deps.httpAuth, deps.userInfo),
            auditor: deps.auditor,
            estimator,
            grants: new GrantChecker({ store }),
            teamAccess: new TeamReadAccess({ store, permissions }),
          }),
        );
        deps.httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        const tasks = new ScaffolderTaskStatusSource(deps);
        await scheduleSweeps({
          scheduler: deps.scheduler,
          service,
          logger,
          frequency: settings.sweepFrequency,
          syncStatus: () => syncInFlightRequests({ store, tasks, notifier, logger }),
          lifecycle: () =>
            runLifecycle({
              store,
              notifier,
              notifications: deps.notifications,
              auditor: deps.auditor,
              launcher,
              limits,
              logger,
              settings,
              lifecycle: lifecycleSettings,
              now: () => new Date(),
            }),
        });
      },
    });
  },
});
