import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog } from '@backstage/core-components';
import {
  CatalogEntityPage,
  CatalogIndexPage,
  catalogPlugin,
} from '@backstage/plugin-catalog';
import { orgPlugin } from '@backstage/plugin-org';
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
import { NotificationsPage } from '@backstage/plugin-notifications';
import { signalsPlugin } from '@backstage/plugin-signals';
import { UserSettingsPage } from '@backstage/plugin-user-settings';
import {
  SelfServiceCostEstimateFieldExtension,
  SelfServicePage,
  SelfServiceTeamPickerFieldExtension,
  transformSelfServiceFormErrors,
} from '@internal/plugin-self-service';
import { apis } from './apis';
import { appThemes } from './themes';
import { entityPage } from './components/catalog/EntityPage';
import { Root } from './components/Root/Root';
import { DevSignInPage } from './components/signIn';

const app = createApp({
  apis,
  plugins: [signalsPlugin],
  themes: appThemes,
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
      createFromTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
    bind(scaffolderPlugin.externalRoutes, {});
    bind(orgPlugin.externalRoutes, {
      catalogIndex: catalogPlugin.routes.catalogIndex,
    });
  },
  components: {
    SignInPage: DevSignInPage,
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="catalog" />} />
    <Route path="/catalog" element={<CatalogIndexPage />} />
    <Route
      path="/catalog/:namespace/:kind/:name"
      element={<CatalogEntityPage />}
    >
      {entityPage}
    </Route>
    <Route
      path="/create"
      element={
        <ScaffolderPage
          headerOptions={{
            title: 'Self-service infrastructure',
            subtitle:
              'Databases, buckets and queues with cost, guardrails and approvals built in',
            pageTitleOverride: 'Self-service infrastructure',
          }}
          formProps={{ transformErrors: transformSelfServiceFormErrors }}
        />
      }
    >
      <ScaffolderFieldExtensions>
        <SelfServiceCostEstimateFieldExtension />
        <SelfServiceTeamPickerFieldExtension />
      </ScaffolderFieldExtensions>
    </Route>
    <Route path="/self-service" element={<SelfServicePage />} />
    <Route path="/notifications" element={<NotificationsPage />} />
    <Route path="/settings" element={<UserSettingsPage />} />
  </FlatRoutes>
);

export default app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <Root>{routes}</Root>
    </AppRouter>
  </>,
);
