import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_EXPIRES_AT,
  ANNOTATION_REQUEST_ID,
} from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { REQUEST_ID, makeDetail } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServiceResourceCard } from './SelfServiceResourceCard';

function resource(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db', annotations },
    spec: { type: 'database', owner: 'group:default/team-a' },
  };
}

describe('SelfServiceResourceCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('links the request and shows its state and the expiry', async () => {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'succeeded', currentStage: null }))),
      ),
    );
    // Three days and five hours: "in 3 days" however slowly the test runs.
    const expires = new Date(Date.now() + 3.2 * 24 * 3600 * 1000).toISOString();
    await renderWithApp(
      <EntityProvider
        entity={resource({
          [ANNOTATION_REQUEST_ID]: REQUEST_ID,
          [ANNOTATION_EXPIRES_AT]: expires,
        })}
      >
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(screen.getByRole('link', { name: REQUEST_ID })).toHaveAttribute(
      'href',
      `/self-service/requests/${REQUEST_ID}`,
    );
    expect(
      await screen.findByLabelText('State: succeeded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/postgres-database for team-a · \$412\.50 per month/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Expires .*in 3 days/)).toBeInTheDocument();
  });

  it('says a simulated resource was not provisioned, and says nothing for a real one', async () => {
    const simulated = makeDetail({ state: 'succeeded', currentStage: null });
    simulated.planSummary = { ...simulated.planSummary!, simulated: true };
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(simulated)),
      ),
    );
    const view = await renderWithApp(
      <EntityProvider entity={resource({ [ANNOTATION_REQUEST_ID]: REQUEST_ID })}>
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(await screen.findByTestId('resource-simulated')).toHaveTextContent(
      'Simulated: nothing was provisioned',
    );
    view.unmount();
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'succeeded', currentStage: null }))),
      ),
    );
    await renderWithApp(
      <EntityProvider entity={resource({ [ANNOTATION_REQUEST_ID]: REQUEST_ID })}>
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(await screen.findByLabelText('State: succeeded')).toBeInTheDocument();
    expect(screen.queryByTestId('resource-simulated')).toBeNull();
  });

  it('warns when the resource is past its expiry and survives a refused detail', async () => {
    server.use(
      rest.get(`${API_BASE}/requests/:id`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json({
            error: { name: 'NotAllowedError', message: 'not yours' },
            response: { statusCode: 403 },
          }),
        ),
      ),
    );
    await renderWithApp(
      <EntityProvider
        entity={resource({
          [ANNOTATION_REQUEST_ID]: REQUEST_ID,
          [ANNOTATION_EXPIRES_AT]: '2020-01-01T00:00:00Z',
        })}
      >
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(/not available: not yours/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Expired .*due to be destroyed/),
    ).toBeInTheDocument();
  });

  it("offers Change and Extend when the request allows them, and shows the request's own expiry", async () => {
    // The catalog still has the expiry from before an extension.
    const extended = new Date(
      Date.now() + 20.2 * 24 * 3600 * 1000,
    ).toISOString();
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(
          ctx.json(
            makeDetail({
              state: 'succeeded',
              currentStage: null,
              expiresAt: extended,
              canChange: true,
              canExtend: true,
            }),
          ),
        ),
      ),
    );
    await renderWithApp(
      <EntityProvider
        entity={resource({
          [ANNOTATION_REQUEST_ID]: REQUEST_ID,
          [ANNOTATION_EXPIRES_AT]: new Date(
            Date.now() + 3.2 * 24 * 3600 * 1000,
          ).toISOString(),
        })}
      >
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByRole('button', { name: 'Change' }),
    ).toHaveAttribute('href', `/self-service/requests/${REQUEST_ID}/change`);
    expect(screen.getByRole('button', { name: 'Extend' })).toHaveAttribute(
      'href',
      `/self-service/requests/${REQUEST_ID}?extend=1`,
    );
    expect(screen.getByTestId('expiry-countdown')).toHaveTextContent(
      /^Expires in 20 days · /,
    );
  });

  it('offers neither without canChange and canExtend', async () => {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'succeeded', currentStage: null }))),
      ),
    );
    await renderWithApp(
      <EntityProvider
        entity={resource({ [ANNOTATION_REQUEST_ID]: REQUEST_ID })}
      >
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByLabelText('State: succeeded'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Change' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Extend' }),
    ).not.toBeInTheDocument();
  });

  it('explains a missing request annotation', async () => {
    await renderWithApp(
      <EntityProvider entity={resource({})}>
        <SelfServiceResourceCard />
      </EntityProvider>,
    );
    expect(
      screen.getAllByText(/self-service.io\/request-id/).length,
    ).toBeGreaterThan(0);
  });
});
