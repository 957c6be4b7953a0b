import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeRequest, makeUsage } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { TeamResources } from './TeamResources';

describe('TeamResources', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serve(
    seen: { team?: string | null; state?: string | null; usage?: string } = {},
  ) {
    server.use(
      rest.get(`${API_BASE}/requests`, (req, res, ctx) => {
        seen.team = req.url.searchParams.get('team');
        seen.state = req.url.searchParams.get('state');
        return res(
          ctx.json({
            items:
              seen.team === 'group:default/team-a'
                ? [
                    makeRequest({
                      state: 'succeeded',
                      currentStage: null,
                      resourceRefs: ['resource:default/orders-db'],
                    }),
                  ]
                : [],
          }),
        );
      }),
      rest.get(`${API_BASE}/teams/:ref/usage`, (req, res, ctx) => {
        seen.usage = req.params.ref as string;
        return res(ctx.json(makeUsage({ team: req.params.ref as string })));
      }),
    );
    return seen;
  }

  it("shows the team's resources and usage for the user's team", async () => {
    const seen = serve();
    await renderWithApp(<TeamResources />);
    // One link opens the request, the other the registered Resource entity.
    const links = await screen.findAllByRole('link', { name: 'orders-db' });
    expect(links.map(l => l.getAttribute('href'))).toContain(
      '/catalog/default/resource/orders-db',
    );
    expect(seen).toMatchObject({
      team: 'group:default/team-a',
      state: 'succeeded',
    });
    expect(seen.usage).toBe('group:default/team-a');
    // budget: remaining of limit; used / reserved / remaining
    expect(
      await screen.findByText('$287.50 of $1,000 left'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /used \$300 · reserved \$412\.50 · remaining \$287\.50/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('2 of 5 left')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Monthly budget: 71% used or reserved'),
    ).toBeInTheDocument();
  });

  it('says so when the user is in no team', async () => {
    serve();
    await renderWithApp(<TeamResources />, {
      ownershipEntityRefs: ['user:default/lead'],
    });
    expect(
      await screen.findByText('You are not a member of a team'),
    ).toBeInTheDocument();
  });

  it('lets a member of several teams choose one', async () => {
    const seen = serve();
    await renderWithApp(<TeamResources />, {
      ownershipEntityRefs: [
        'user:default/lead',
        'group:default/team-a',
        'group:default/dba',
      ],
    });
    await screen.findAllByRole('link', { name: 'orders-db' });
    fireEvent.mouseDown(screen.getByLabelText('Team'));
    await userEvent.click(within(screen.getByRole('listbox')).getByText('dba'));
    expect(
      await screen.findByText('dba has no provisioned resources yet'),
    ).toBeInTheDocument();
    expect(seen.team).toBe('group:default/dba');
  });

  it('shows a usage failure inside the card', async () => {
    serve();
    server.use(
      rest.get(`${API_BASE}/teams/:ref/usage`, (_req, res, ctx) =>
        res(
          ctx.status(404),
          ctx.json({
            error: { name: 'NotFoundError', message: 'no such group' },
            response: { statusCode: 404 },
          }),
        ),
      ),
    );
    await renderWithApp(<TeamResources />);
    expect(
      await screen.findByText(/Could not load the team's usage/),
    ).toBeInTheDocument();
  });
});
