import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { REQUEST_ID, makeDetail } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from '../SelfServicePage';

const TEMPLATE: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'postgres-database',
    namespace: 'default',
    title: 'PostgreSQL database',
  },
  spec: {},
};

describe('the request page in words', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  async function show(detail: SelfServiceRequestDetail, entities?: Entity[]) {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(detail)),
      ),
    );
    await renderWithApp(
      <Routes>
        <Route path="/self-service/*" element={<SelfServicePage />} />
      </Routes>,
      { routeEntries: [`/self-service/requests/${REQUEST_ID}`], entities },
    );
  }

  it("is titled with the template's title, the name and the environment", async () => {
    await show(makeDetail(), [TEMPLATE]);
    expect(
      await screen.findByRole('heading', {
        name: 'PostgreSQL database · orders-db (production)',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(`Request ${REQUEST_ID}`)).toBeInTheDocument();
  });

  it("falls back to the template's name and the request id", async () => {
    await show(makeDetail({ parameters: {}, resourceName: undefined }));
    expect(
      await screen.findByRole('heading', {
        name: `postgres-database · ${REQUEST_ID.slice(0, 8)} (production)`,
      }),
    ).toBeInTheDocument();
  });

  it('shows the rejecting stage as rejected and later ones as not reached', async () => {
    await show(
      makeDetail({
        state: 'rejected',
        currentStage: null,
        stages: [
          {
            name: 'team-lead',
            groups: ['group:default/team-a-leads'],
            quorum: 1,
            approvals: 0,
            decided: true,
          },
          {
            name: 'dba',
            groups: ['group:default/dba'],
            quorum: 2,
            approvals: 0,
            decided: false,
          },
        ],
        decisions: [
          {
            id: 'd1',
            approver: 'user:default/lead',
            stage: 0,
            decision: 'reject',
            comment: 'Not this quarter',
            createdAt: '2026-01-10T11:00:00.000Z',
          },
        ],
      }),
    );
    const lead = await screen.findByRole('region', { name: 'Stage team-lead' });
    expect(within(lead).getByText('rejected')).toBeInTheDocument();
    const dba = screen.getByRole('region', { name: 'Stage dba' });
    expect(within(dba).getByText('not reached')).toBeInTheDocument();
    expect(screen.queryByText('done')).not.toBeInTheDocument();
  });

  it('shows a stage approved only when its quorum approved', async () => {
    await show(makeDetail());
    const lead = await screen.findByRole('region', { name: 'Stage team-lead' });
    expect(within(lead).getByText('approved')).toBeInTheDocument();
    const dba = screen.getByRole('region', { name: 'Stage dba' });
    expect(within(dba).getByText('waiting')).toBeInTheDocument();
  });

  it('names events in words, decisions with their stage', async () => {
    const detail = makeDetail();
    await show({
      ...detail,
      events: [
        ...detail.events,
        {
          id: 'e3',
          actor: 'user:default/lead',
          fromState: null,
          toState: null,
          action: 'approved-stage-0',
          createdAt: '2026-01-10T11:00:00.000Z',
        },
        {
          id: 'e4',
          actor: 'plugin:self-service',
          fromState: 'pending_approval',
          toState: 'pending_approval',
          action: 'submitted-for-approval',
          createdAt: '2026-01-10T11:00:01.000Z',
        },
      ],
    });
    expect(
      await screen.findByText('Approved (stage 1: team-lead)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Waiting for approval')).toBeInTheDocument();
    expect(screen.queryByText('approved-stage-0')).not.toBeInTheDocument();
  });
});
