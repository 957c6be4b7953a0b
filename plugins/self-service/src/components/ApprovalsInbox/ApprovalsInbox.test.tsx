import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { SELF_SERVICE_SIGNAL_CHANNEL } from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeRequest } from '../../__testUtils__/fixtures';
import {
  API_BASE,
  FakeSignalApi,
  renderWithApp,
} from '../../__testUtils__/renderWithApp';
import { ApprovalsInbox } from './ApprovalsInbox';

const older = makeRequest({
  id: '00000000-0000-4000-8000-000000000001',
  templateRef: 'template:default/s3-bucket',
  parameters: { name: 'media-bucket' },
  requester: 'user:default/dana',
  environment: 'staging',
  createdAt: '2026-01-01T00:00:00.000Z',
});
const newer = makeRequest({
  id: '00000000-0000-4000-8000-000000000002',
  createdAt: '2026-01-09T00:00:00.000Z',
});

describe('ApprovalsInbox', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress while the inbox loads', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.delay('infinite')),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says what will appear when nothing waits', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items: [] })),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(
      await screen.findByText('Nothing is waiting for your decision'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/needs the approval of a group you belong to/),
    ).toBeInTheDocument();
  });

  it('names changes and extensions by what they ask for', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(
          ctx.json({
            items: [
              makeRequest({
                id: '00000000-0000-4000-8000-000000000003',
                kind: 'change',
              }),
              makeRequest({
                id: '00000000-0000-4000-8000-000000000004',
                kind: 'extension',
                extension: { days: 14 },
              }),
            ],
          }),
        ),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(
      await screen.findByRole('link', { name: 'Change: orders-db' }),
    ).toHaveAttribute(
      'href',
      '/self-service/requests/00000000-0000-4000-8000-000000000003',
    );
    expect(
      screen.getByRole('link', { name: 'Extend orders-db by 14 days' }),
    ).toBeInTheDocument();
  });

  it('shows a failure as an error panel', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(
          ctx.status(500),
          ctx.json({
            error: { name: 'Error', message: 'database is down' },
            response: { statusCode: 500 },
          }),
        ),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(
      await screen.findByText(/Could not load your approvals inbox/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database is down/).length).toBeGreaterThan(0);
  });

  it('lists the requests newest first with their stage, cost and age', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items: [older, newer] })),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(
      await screen.findByText('Waiting for your decision (2)'),
    ).toBeInTheDocument();
    const links = screen.getAllByRole('link', {
      name: /orders-db|media-bucket/,
    });
    expect(links.map(l => l.textContent)).toEqual([
      'orders-db',
      'media-bucket',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      `/self-service/requests/${newer.id}`,
    );
    expect(screen.getAllByText('dba (2 of 2)')).toHaveLength(2);
    // "+" marks an estimate with unpriced items.
    expect(screen.getAllByText('$412.50 +')).toHaveLength(2);
    expect(screen.getByText('staging')).toBeInTheDocument();
    expect(screen.getAllByText(/ago$/).length).toBeGreaterThanOrEqual(2);
  });

  it('filters by search text and environment', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items: [older, newer] })),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    await screen.findByText('Waiting for your decision (2)');

    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'dana' },
    });
    expect(
      screen.queryByRole('link', { name: 'orders-db' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'media-bucket' }),
    ).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: '' },
    });
    fireEvent.mouseDown(screen.getByLabelText('Environment'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('production'),
    );
    expect(screen.getByRole('link', { name: 'orders-db' })).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'media-bucket' }),
    ).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'nothing-like-this' },
    });
    expect(
      screen.getByText('No request matches these filters.'),
    ).toBeInTheDocument();
  });

  it('loads further pages', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (req, res, ctx) =>
        req.url.searchParams.get('cursor') === 'next'
          ? res(ctx.json({ items: [older] }))
          : res(ctx.json({ items: [newer], nextCursor: 'next' })),
      ),
    );
    await renderWithApp(<ApprovalsInbox />);
    expect(
      await screen.findByText('Waiting for your decision (1+)'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByRole('link', { name: 'media-bucket' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('reloads when a signal says requests changed', async () => {
    let calls = 0;
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) => {
        calls += 1;
        return res(ctx.json({ items: calls === 1 ? [newer] : [newer, older] }));
      }),
    );
    const signals = new FakeSignalApi();
    await renderWithApp(<ApprovalsInbox />, { signals });
    await screen.findByText('Waiting for your decision (1)');
    signals.publish(SELF_SERVICE_SIGNAL_CHANNEL, { requestId: older.id });
    expect(
      await screen.findByText('Waiting for your decision (2)'),
    ).toBeInTheDocument();
    await waitFor(() => expect(calls).toBe(2));
  });
});
