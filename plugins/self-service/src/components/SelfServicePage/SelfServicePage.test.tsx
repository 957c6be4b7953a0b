import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeRequest } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from './SelfServicePage';

describe('SelfServicePage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('opens on the approvals inbox and switches tabs', async () => {
    const mine = jest.fn();
    server.use(
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) =>
        res(ctx.json({ items: [] })),
      ),
      rest.get(`${API_BASE}/requests`, (req, res, ctx) => {
        mine(req.url.searchParams.get('mine'));
        return res(ctx.json({ items: [makeRequest({ state: 'approved' })] }));
      }),
    );
    await renderWithApp(
      <Routes>
        <Route path="/self-service/*" element={<SelfServicePage />} />
      </Routes>,
      { routeEntries: ['/self-service'] },
    );
    expect(
      screen.getByRole('tab', { name: 'Approvals inbox' }),
    ).toHaveAttribute('aria-selected', 'true');
    expect(
      screen.getByRole('tab', { name: "My team's resources" }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Nothing is waiting for your decision'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'My requests' }));
    expect(await screen.findByLabelText('State: approved')).toBeInTheDocument();
    expect(mine).toHaveBeenCalledWith('true');
  });
});
