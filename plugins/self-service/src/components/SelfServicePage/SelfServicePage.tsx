import { Route, Routes } from 'react-router-dom';
import {
  Content,
  Header,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { ApprovalsInbox } from '../ApprovalsInbox';
import { ChangePage } from '../ChangePage';
import { MyRequests } from '../MyRequests';
import { RequestPage } from '../RequestPage';
import { TeamResources } from '../TeamResources';

function SelfServiceTabs() {
  return (
    <Page themeId="tool">
      <Header
        title="Self-service"
        subtitle="Infrastructure requests, approvals and your team's resources"
      />
      <Content>
        <TabbedLayout>
          <TabbedLayout.Route path="/" title="Approvals inbox">
            <ApprovalsInbox />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/mine" title="My requests">
            <MyRequests />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/team" title="My team's resources">
            <TeamResources />
          </TabbedLayout.Route>
        </TabbedLayout>
      </Content>
    </Page>
  );
}

/**
 * The self-service page: tabs for the approvals inbox, the user's requests
 * and the team's resources, a request's page at `requests/:id` and the form
 * that changes its resource at `requests/:id/change`.
 */
export function SelfServicePage() {
  return (
    <Routes>
      <Route path="/requests/:id" element={<RequestPage />} />
      <Route path="/requests/:id/change" element={<ChangePage />} />
      <Route path="/*" element={<SelfServiceTabs />} />
    </Routes>
  );
}
