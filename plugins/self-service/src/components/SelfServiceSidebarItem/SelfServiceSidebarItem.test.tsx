import { screen, waitFor } from '@testing-library/react';
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
import { SelfServiceSidebarItem } from './SelfServiceSidebarItem';

describe('SelfServiceSidebarItem', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('counts the inbox and follows signals', async () => {
    let items = [makeRequest()];
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items })),
      ),
    );
    const signals = new FakeSignalApi();
    await renderWithApp(<SelfServiceSidebarItem />, { signals });
    expect(
      await screen.findByLabelText('1 request waiting for your decision'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link')).toHaveAttribute('href', '/self-service');

    items = [makeRequest(), makeRequest({ id: 'other' })];
    signals.publish(SELF_SERVICE_SIGNAL_CHANNEL, { requestId: 'other' });
    expect(
      await screen.findByLabelText('2 requests waiting for your decision'),
    ).toBeInTheDocument();
  });

  it('marks a count beyond the first page', async () => {
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items: [makeRequest()], nextCursor: 'more' })),
      ),
    );
    await renderWithApp(<SelfServiceSidebarItem />);
    expect(await screen.findByText('1+')).toBeInTheDocument();
  });

  it('shows no badge when nothing waits', async () => {
    const answered = jest.fn();
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) => {
        answered();
        return res(ctx.json({ items: [] }));
      }),
    );
    await renderWithApp(<SelfServiceSidebarItem />);
    expect(
      screen.getByRole('link', { name: 'Self-service' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(answered).toHaveBeenCalled());
    expect(
      screen.queryByLabelText(/waiting for your decision/),
    ).not.toBeInTheDocument();
  });
});
