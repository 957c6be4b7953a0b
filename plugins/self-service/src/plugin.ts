import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { SelfServiceClient, selfServiceApiRef } from './api';
import {
  CostEstimateField,
  type CostEstimateFieldOptions,
} from './components/CostEstimateField';
import { TeamPickerField } from './components/TeamPickerField';
import { changeRequestRouteRef, requestRouteRef, rootRouteRef } from './routes';

/**
 * The self-service plugin for the legacy frontend system.
 * @public
 */
export const selfServicePlugin = createPlugin({
  id: 'self-service',
  apis: [
    createApiFactory({
      api: selfServiceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SelfServiceClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
    changeRequest: changeRequestRouteRef,
  },
});

/**
 * The self-service page: approvals inbox, my requests, my team's resources,
 * and the request pages under `requests/:id`.
 * @public
 */
export const SelfServicePage = selfServicePlugin.provide(
  createRoutableExtension({
    name: 'SelfServicePage',
    component: () =>
      import('./components/SelfServicePage').then(m => m.SelfServicePage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Shows who approves a Template and its price range; for a Template's
 * entity page.
 * @public
 */
export const EntitySelfServiceTemplateCard = selfServicePlugin.provide(
  createComponentExtension({
    name: 'EntitySelfServiceTemplateCard',
    component: {
      lazy: () =>
        import('./components/EntityCards').then(m => m.SelfServiceTemplateCard),
    },
  }),
);

/**
 * Shows the request that provisioned a Resource and its expiry; for a
 * provisioned Resource's entity page.
 * @public
 */
export const EntitySelfServiceResourceCard = selfServicePlugin.provide(
  createComponentExtension({
    name: 'EntitySelfServiceResourceCard',
    component: {
      lazy: () =>
        import('./components/EntityCards').then(m => m.SelfServiceResourceCard),
    },
  }),
);

/**
 * The live cost estimate for scaffolder forms (`ui:field:
 * SelfServiceCostEstimate`). It prices the other form values through
 * `POST /estimate` and shows the team's remaining budget. `ui:options`:
 * `templateRef` (the Template entity ref; defaults to the template being
 * filled in) and `teamField` (the field holding the team, default `team`).
 * @public
 */
export const SelfServiceCostEstimateFieldExtension = selfServicePlugin.provide(
  createScaffolderFieldExtension<string, CostEstimateFieldOptions>({
    name: 'SelfServiceCostEstimate',
    component: CostEstimateField,
  }),
);

/**
 * The owning team of a request, chosen among the signed-in user's own groups
 * (`ui:field: SelfServiceTeamPicker`); stores the group's entity ref.
 * @public
 */
export const SelfServiceTeamPickerFieldExtension = selfServicePlugin.provide(
  createScaffolderFieldExtension<string>({
    name: 'SelfServiceTeamPicker',
    component: TeamPickerField,
  }),
);
