import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { REQUEST_ID, makeDetail } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from '../SelfServicePage';

const TARGET_ID = 'c9f0f895-fb98-4b91-9f6c-3e7a2f0d6f01';
const CHANGE_ID = '45c48cce-2e2d-4fbd-a3f0-9a1c1a2b3c4d';
const EXTENSION_ID = 'd3d94468-02a4-4a1b-9e2f-6c1d5e7f8a9b';
const DAY = 24 * 3600 * 1000;

const TEMPLATE: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'postgres-database', title: 'PostgreSQL database' },
  spec: {},
};

describe('changes and extensions on the request page', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  async function show(detail: SelfServiceRequestDetail) {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(detail)),
      ),
    );
    await renderWithApp(
      <Routes>
        <Route path="/self-service/*" element={<SelfServicePage />} />
      </Routes>,
      {
        routeEntries: [`/self-service/requests/${REQUEST_ID}`],
        entities: [TEMPLATE],
      },
    );
  }

  it('titles a change, links the resource it changes and shows the cost difference', async () => {
    const base = makeDetail();
    await show({
      ...base,
      kind: 'change',
      targetRequestId: TARGET_ID,
      environment: 'staging',
      previousMonthlyCost: 20,
      cost: { ...base.cost, monthlyTotal: 35 },
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Change: PostgreSQL database · orders-db (staging)',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('target-request-link')).toHaveAttribute(
      'href',
      `/self-service/requests/${TARGET_ID}`,
    );
    expect(
      screen.getByRole('link', { name: `request ${TARGET_ID.slice(0, 8)}` }),
    ).toHaveAttribute('href', `/self-service/requests/${TARGET_ID}`);
    expect(screen.getByTestId('follow-up-notice')).toHaveTextContent(
      /A change of orders-db: its plan updates the existing resource/,
    );
    expect(screen.getByTestId('cost-delta')).toHaveTextContent(
      '$20 → $35 per month (+$15)',
    );
    // A change is not a resource: no countdown of its own.
    expect(screen.queryByTestId('expiry-countdown')).not.toBeInTheDocument();
  });

  it('shows no cost difference for a new resource', async () => {
    await show(makeDetail({ previousMonthlyCost: 20 }));
    expect(
      await screen.findByLabelText('State: pending approval'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('cost-delta')).not.toBeInTheDocument();
  });

  it('titles an extension by its days and shows the expiry it moved', async () => {
    await show(
      makeDetail({
        kind: 'extension',
        targetRequestId: TARGET_ID,
        environment: 'staging',
        state: 'succeeded',
        currentStage: null,
        extension: {
          days: 14,
          previousExpiresAt: '2026-12-09T12:00:00.000Z',
          newExpiresAt: '2026-12-23T12:00:00.000Z',
        },
      }),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'Extend orders-db by 14 days (staging)',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('follow-up-notice')).toHaveTextContent(
      'An extension of orders-db by 14 days',
    );
    expect(screen.getByTestId('target-request-link')).toHaveAttribute(
      'href',
      `/self-service/requests/${TARGET_ID}`,
    );
    expect(screen.getByText('Previous expiry')).toBeInTheDocument();
    expect(screen.getByText('New expiry')).toBeInTheDocument();
    expect(screen.getByText('14 days')).toBeInTheDocument();
  });

  it('lists the changes and extensions of a resource, newest first, with their states', async () => {
    await show(
      makeDetail({
        state: 'succeeded',
        currentStage: null,
        followUps: [
          {
            id: EXTENSION_ID,
            kind: 'extension',
            state: 'pending_approval',
            requester: 'user:default/dev',
            createdAt: new Date(Date.now() - DAY).toISOString(),
            extension: { days: 20 },
          },
          {
            id: CHANGE_ID,
            kind: 'change',
            state: 'succeeded',
            requester: 'user:default/alice',
            createdAt: new Date(Date.now() - 3 * DAY).toISOString(),
          },
        ],
      }),
    );
    const list = await screen.findByRole('list', {
      name: 'Changes and extensions',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(
      within(items[0]).getByRole('link', { name: 'Extension by 20 days' }),
    ).toHaveAttribute('href', `/self-service/requests/${EXTENSION_ID}`);
    expect(
      within(items[0]).getByLabelText('State: pending approval'),
    ).toBeInTheDocument();
    expect(items[0]).toHaveTextContent('by dev, yesterday');
    expect(
      within(items[1]).getByRole('link', { name: 'Change' }),
    ).toHaveAttribute('href', `/self-service/requests/${CHANGE_ID}`);
    expect(
      within(items[1]).getByLabelText('State: succeeded'),
    ).toBeInTheDocument();
  });

  it('counts down to the expiry of a live resource, as a warning in its last days', async () => {
    await show(
      makeDetail({
        state: 'succeeded',
        currentStage: null,
        expiresAt: new Date(Date.now() + 2.6 * DAY).toISOString(),
      }),
    );
    const countdown = await screen.findByTestId('expiry-countdown');
    expect(countdown).toHaveTextContent(
      /^Expires in 3 days · \d+ \w{3} \d{4}$/,
    );
    expect(countdown).toHaveAttribute('data-expiring-soon', 'true');
  });

  it('does not warn about an expiry far away', async () => {
    await show(
      makeDetail({
        state: 'succeeded',
        currentStage: null,
        expiresAt: new Date(Date.now() + 6.2 * DAY).toISOString(),
      }),
    );
    const countdown = await screen.findByTestId('expiry-countdown');
    expect(countdown).toHaveTextContent(/^Expires in 6 days · /);
    expect(countdown).toHaveAttribute('data-expiring-soon', 'false');
  });

  it('leads from Change to the change form', async () => {
    await show(
      makeDetail({ state: 'succeeded', currentStage: null, canChange: true }),
    );
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'succeeded', canChange: false }))),
      ),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Change' }),
    );
    // The change page, here refusing because the answer says it may not.
    expect(
      await screen.findByText(/This resource cannot be changed now/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Change orders-db' }),
    ).toBeInTheDocument();
  });
});
