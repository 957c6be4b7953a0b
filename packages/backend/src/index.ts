/*
 * The runnable Backstage backend: catalog (with Template support), scaffolder,
 * auth, permissions (with our policy), notifications, signals and the
 * self-service plugins.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleSelfService } from '@internal/plugin-self-service-backend';
import { devUserAuthModule } from './modules/devUserAuth';
import { selfServicePermissionPolicyModule } from './modules/permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(devUserAuthModule);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(catalogModuleSelfService);
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@internal/plugin-scaffolder-backend-module-self-service'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(selfServicePermissionPolicyModule);

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@internal/plugin-self-service-backend'));

backend.start();
