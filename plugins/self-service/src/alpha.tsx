import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { ANNOTATION_REQUEST_ID } from '@internal/plugin-self-service-common';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { SelfServiceClient, selfServiceApiRef } from './api';
import { changeRequestRouteRef, requestRouteRef, rootRouteRef } from './routes';

const routes = convertLegacyRouteRefs({
  root: rootRouteRef,
  request: requestRouteRef,
  changeRequest: changeRequestRouteRef,
});

const selfServiceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: selfServiceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SelfServiceClient({ discoveryApi, fetchApi }),
    }),
});

const selfServicePage = PageBlueprint.make({
  params: {
    path: '/self-service',
    title: 'Self-service',
    icon: <AssignmentTurnedInIcon />,
    routeRef: routes.root,
    loader: () =>
      import('./components/SelfServicePage').then(m =>
        compatWrapper(<m.SelfServicePage />),
      ),
  },
});

const templateCard = EntityCardBlueprint.make({
  name: 'template',
  params: {
    filter: entity => entity.kind.toLocaleLowerCase('en-US') === 'template',
    loader: () =>
      import('./components/EntityCards').then(m =>
        compatWrapper(<m.SelfServiceTemplateCard />),
      ),
  },
});

const resourceCard = EntityCardBlueprint.make({
  name: 'resource',
  params: {
    filter: entity =>
      Boolean(entity.metadata.annotations?.[ANNOTATION_REQUEST_ID]),
    loader: () =>
      import('./components/EntityCards').then(m =>
        compatWrapper(<m.SelfServiceResourceCard />),
      ),
  },
});

const costEstimateField = FormFieldBlueprint.make({
  name: 'cost-estimate',
  params: {
    field: () =>
      import('./components/CostEstimateField/formField').then(
        m => m.costEstimateFormField,
      ),
  },
});

const teamPickerField = FormFieldBlueprint.make({
  name: 'team-picker',
  params: {
    field: () =>
      import('./components/TeamPickerField/formField').then(
        m => m.teamPickerFormField,
      ),
  },
});

/**
 * The self-service plugin for the new frontend system: the page (with its
 * request pages), the API, the Template and Resource entity cards and the
 * scaffolder cost estimate and team picker fields.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'self-service',
  title: 'Self-service',
  icon: <AssignmentTurnedInIcon />,
  routes,
  extensions: [
    selfServiceApi,
    selfServicePage,
    templateCard,
    resourceCard,
    costEstimateField,
    teamPickerField,
  ],
});
