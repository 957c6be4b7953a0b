import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { SelfServicePermissionPolicy } from './SelfServicePermissionPolicy';

/** Installs the organisation's permission policy in the permission plugin. */
export const selfServicePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'self-service-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new SelfServicePermissionPolicy(userInfo));
      },
    });
  },
});
