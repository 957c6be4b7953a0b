import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeRequest } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { MyRequests } from './MyRequests';

describe('MyRequests', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress while loading', async () => {
    server.use(
      rest.get(`${API_BASE}/requests`, (_req, res, ctx) =>
        res(ctx.delay('infinite')),
      ),
    );
    await renderWithApp(<MyRequests />);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains the empty list', async () => {
    server.use(
      rest.get(`${API_BASE}/requests`, (_req, res, ctx) =>
        res(ctx.json({ items: [] })),
      ),
    );
    await renderWithApp(<MyRequests />);
    expect(
      await screen.findByText('You have not requested anything yet'),
    ).toBeInTheDocument();
  });

  it('shows an error panel', async () => {
    server.use(
      rest.get(`${API_BASE}/requests`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json({
            error: { name: 'NotAllowedError', message: 'nope' },
            response: { statusCode: 403 },
          }),
        ),
      ),
    );
    await renderWithApp(<MyRequests />);
    expect(
      await screen.findByText(/Could not load your requests/),
    ).toBeInTheDocument();
  });

  it("lists only the user's own requests with their states", async () => {
    let mine: string | null = null;
    server.use(
      rest.get(`${API_BASE}/requests`, (req, res, ctx) => {
        mine = req.url.searchParams.get('mine');
        return res(
          ctx.json({
            items: [
              makeRequest(),
              makeRequest({
                id: '00000000-0000-4000-8000-000000000009',
                state: 'denied',
                currentStage: null,
              }),
            ],
          }),
        );
      }),
    );
    await renderWithApp(<MyRequests />);
    expect(await screen.findByLabelText('State: denied')).toBeInTheDocument();
    expect(
      screen.getByLabelText('State: pending approval'),
    ).toBeInTheDocument();
    expect(screen.getByText('dba (2 of 2)')).toBeInTheDocument();
    expect(mine).toBe('true');
  });
});
