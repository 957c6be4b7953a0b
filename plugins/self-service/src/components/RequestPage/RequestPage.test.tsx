import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_REQUEST_ID,
  SELF_SERVICE_SIGNAL_CHANNEL,
} from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { REQUEST_ID, makeDetail } from '../../__testUtils__/fixtures';
import {
  API_BASE,
  FakeSignalApi,
  renderWithApp,
} from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from '../SelfServicePage';

function renderRequest(
  id = REQUEST_ID,
  signals?: FakeSignalApi,
  entities?: Entity[],
) {
  return renderWithApp(
    <Routes>
      <Route path="/self-service/*" element={<SelfServicePage />} />
    </Routes>,
    { routeEntries: [`/self-service/requests/${id}`], signals, entities },
  );
}

function errorBody(status: number, name: string, message: string) {
  return { error: { name, message }, response: { statusCode: status } };
}

describe('RequestPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serveDetail(detail = makeDetail()) {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(detail)),
      ),
    );
  }

  it('shows progress while loading', async () => {
    server.use(
      rest.get(`${API_BASE}/requests/:id`, (_req, res, ctx) =>
        res(ctx.delay('infinite')),
      ),
    );
    await renderRequest();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('refuses a malformed id without calling the backend', async () => {
    const seen = jest.fn();
    server.use(
      rest.get(`${API_BASE}/requests/:id`, (_req, res, ctx) => {
        seen();
        return res(ctx.json(makeDetail()));
      }),
    );
    await renderRequest('not-an-id');
    expect(
      await screen.findByText(/This is not a request id/),
    ).toBeInTheDocument();
    expect(seen).not.toHaveBeenCalled();
  });

  it.each([
    [404, 'NotFoundError', 'There is no such request'],
    [403, 'NotAllowedError', 'You may not see this request'],
  ])('shows a %s as a clear panel', async (status, name, title) => {
    server.use(
      rest.get(`${API_BASE}/requests/:id`, (_req, res, ctx) =>
        res(
          ctx.status(status),
          ctx.json(errorBody(status, name, `backend says ${status}`)),
        ),
      ),
    );
    await renderRequest();
    expect(await screen.findByText(new RegExp(title))).toBeInTheDocument();
    expect(
      screen.getAllByText(new RegExp(`backend says ${status}`)).length,
    ).toBeGreaterThan(0);
  });

  it('shows a network failure as a panel', async () => {
    server.use(
      rest.get(`${API_BASE}/requests/:id`, (_req, res) =>
        res.networkError('offline'),
      ),
    );
    await renderRequest();
    expect(
      await screen.findByText(/Could not load the request/),
    ).toBeInTheDocument();
  });

  it('shows everything an approver needs', async () => {
    serveDetail();
    await renderRequest();
    expect(
      await screen.findByLabelText('State: pending approval'),
    ).toBeInTheDocument();

    // parameters, booleans as words
    expect(screen.getByText('orders-db')).toBeInTheDocument();
    const backup = screen.getByText(/backup enabled/i).closest('tr')!;
    expect(within(backup).getByText('yes')).toBeInTheDocument();
    // guardrail findings with their severities
    expect(
      screen.getByText('Production requests need the team lead'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Backup retention is only 7 days'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Needs approval:/)).toBeInTheDocument();
    expect(screen.getByText(/Warning:/)).toBeInTheDocument();
    // cost: total, lines, unpriced
    expect(screen.getByText('$412.50')).toBeInTheDocument();
    const breakdown = screen.getByRole('table', { name: 'Cost breakdown' });
    expect(within(breakdown).getByText('$400')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Not priced' })).getByText(
        'aws_kms_key.db',
      ),
    ).toBeInTheDocument();
    // plan grouped by action, attribute changes, redaction
    for (const group of [
      'Create',
      'Update in place',
      'Replace (destroy and re-create)',
      'Delete',
    ]) {
      expect(screen.getByRole('region', { name: group })).toBeInTheDocument();
    }
    const created = within(screen.getByRole('region', { name: 'Create' }));
    expect(created.getByText('aws_db_instance.main')).toBeInTheDocument();
    // attributes are folded under their resource, counted, until opened
    expect(created.queryByText(/^password = /)).not.toBeInTheDocument();
    for (const resource of screen.getAllByRole('button', {
      name: / attribute changes?$/,
    })) {
      await userEvent.click(resource);
    }
    expect(created.getByText('password = (sensitive)')).toBeInTheDocument();
    expect(
      created.getByText('endpoint = (known after apply)'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/hunter2-leaked/)).not.toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'Replace (destroy and re-create)' }),
      ).getByText('family = postgres14 → postgres16'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Delete' })).getByText(
        'aws_s3_bucket.old_backups',
      ),
    ).toBeInTheDocument();
    // stages with quorum progress
    expect(screen.getByText('1 of 2 approvals')).toBeInTheDocument();
    expect(screen.getByText('waiting')).toBeInTheDocument();
    // decisions with comments, and the event log
    expect(
      screen.getByText('“Looks right for the orders launch”'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('production needs the team lead'),
    ).toBeInTheDocument();
    // the scaffolder task
    expect(screen.getByRole('link', { name: 'task-123' })).toHaveAttribute(
      'href',
      '/create/tasks/task-123',
    );
    // may not decide: no buttons
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel request' }),
    ).not.toBeInTheDocument();
  });

  it('says so, at the top, when the plan was simulated, and only then', async () => {
    const detail = makeDetail();
    serveDetail({ ...detail, planSummary: { ...detail.planSummary!, simulated: true } });
    await renderRequest();
    expect(await screen.findByTestId('simulated-notice')).toHaveTextContent(
      /Simulated.*Nothing is provisioned/,
    );
  });

  it('shows no simulation notice for a real plan', async () => {
    serveDetail();
    await renderRequest();
    await screen.findByLabelText('State: pending approval');
    expect(screen.queryByTestId('simulated-notice')).toBeNull();
  });

  it('links the registered resource once succeeded', async () => {
    serveDetail(
      makeDetail({
        state: 'succeeded',
        currentStage: null,
        resourceRefs: ['resource:default/orders-db'],
      }),
    );
    await renderRequest();
    const resources = await screen.findByRole('list', {
      name: 'Registered resources',
    });
    expect(within(resources).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/resource/orders-db',
    );
  });

  it('finds the Resource entity the catalog registered for the request', async () => {
    serveDetail(makeDetail({ state: 'succeeded', currentStage: null }));
    const resource = (name: string, requestId: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        annotations: { [ANNOTATION_REQUEST_ID]: requestId },
      },
      spec: { type: 'database', owner: 'group:default/team-a' },
    });
    await renderRequest(REQUEST_ID, undefined, [
      resource('postgres-database-orders-db-dev', REQUEST_ID),
      resource('someone-elses-db', '00000000-0000-4000-8000-000000000000'),
    ]);
    const resources = await screen.findByRole('list', {
      name: 'Registered resources',
    });
    expect(
      within(resources)
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual(['/catalog/default/resource/postgres-database-orders-db-dev']);
  });

  it('says the catalog has not picked a succeeded request up yet', async () => {
    serveDetail(makeDetail({ state: 'succeeded', currentStage: null }));
    await renderRequest();
    expect(
      await screen.findByText(/Not in the catalog yet/),
    ).toBeInTheDocument();
  });

  it('lets an approver approve and shows the new state', async () => {
    serveDetail(makeDetail({ canDecide: true }));
    let body: unknown;
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/decisions`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.json(makeDetail({ state: 'approved', currentStage: null })),
          );
        },
      ),
    );
    await renderRequest();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(await screen.findByLabelText('State: approved')).toBeInTheDocument();
    expect(body).toEqual({ decision: 'approve' });
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('requires a reason to reject', async () => {
    serveDetail(makeDetail({ canDecide: true }));
    let body: unknown;
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/decisions`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.json(makeDetail({ state: 'rejected', currentStage: null })),
          );
        },
      ),
    );
    await renderRequest();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox'), '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox'),
      'Use the shared cluster',
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    expect(await screen.findByLabelText('State: rejected')).toBeInTheDocument();
    expect(body).toEqual({
      decision: 'reject',
      comment: 'Use the shared cluster',
    });
  });

  it("shows the server's message when a decision is refused", async () => {
    serveDetail(makeDetail({ canDecide: true }));
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/decisions`,
        (_req, res, ctx) =>
          res(
            ctx.status(403),
            ctx.json(
              errorBody(
                403,
                'NotAllowedError',
                'You may not approve your own request',
              ),
            ),
          ),
      ),
    );
    await renderRequest();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve',
      }),
    );
    expect(
      await screen.findByText('You may not approve your own request'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('State: pending approval'),
    ).toBeInTheDocument();
  });

  it('lets the requester cancel a pending request', async () => {
    serveDetail(makeDetail({ canCancel: true }));
    server.use(
      rest.post(`${API_BASE}/requests/${REQUEST_ID}/cancel`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'canceled', currentStage: null }))),
      ),
    );
    await renderRequest();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel request' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Withdraw request',
      }),
    );
    expect(await screen.findByLabelText('State: canceled')).toBeInTheDocument();
  });

  it('lets the requester delete a pending request, then leaves the page', async () => {
    serveDetail(makeDetail({ canCancel: true, canDelete: true }));
    let deleted = false;
    server.use(
      rest.delete(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) => {
        deleted = true;
        return res(ctx.status(204));
      }),
      rest.get(`${API_BASE}/requests`, (_req, res, ctx) => res(ctx.json({ items: [] }))),
      rest.get(`${API_BASE}/inbox`, (_req, res, ctx) => res(ctx.json({ items: [] }))),
    );
    await renderRequest();
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Its audit log is kept.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete request' }));
    await waitFor(() => expect(deleted).toBe(true));
    await waitFor(() => expect(screen.queryByLabelText('State: pending approval')).not.toBeInTheDocument());
  });

  it('offers no Delete button without canDelete', async () => {
    serveDetail(makeDetail({ canCancel: true }));
    await renderRequest();
    await screen.findByRole('button', { name: 'Cancel request' });
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('lets the team destroy a provisioned request after confirming', async () => {
    serveDetail(
      makeDetail({ state: 'succeeded', currentStage: null, canDestroy: true }),
    );
    const sent = jest.fn();
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/destroy`,
        async (req, res, ctx) => {
          sent(await req.json());
          return res(
            ctx.json(
              makeDetail({
                state: 'destroying',
                currentStage: null,
                canDestroy: false,
              }),
            ),
          );
        },
      ),
    );
    await renderRequest();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Destroy' }),
    );
    const dialog = screen.getByRole('dialog');
    // Backing out sends nothing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Back' }));
    expect(sent).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Destroy' }));
    await userEvent.type(
      within(screen.getByRole('dialog')).getByRole('textbox'),
      'project ended',
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Destroy',
      }),
    );
    expect(
      await screen.findByLabelText('State: destroying'),
    ).toBeInTheDocument();
    expect(sent).toHaveBeenCalledWith({ reason: 'project ended' });
    expect(
      screen.queryByRole('button', { name: 'Destroy' }),
    ).not.toBeInTheDocument();
  });

  it('offers no Destroy button without canDestroy', async () => {
    serveDetail(
      makeDetail({ state: 'succeeded', currentStage: null, canDestroy: false }),
    );
    await renderRequest();
    expect(
      await screen.findByLabelText('State: succeeded'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Destroy' }),
    ).not.toBeInTheDocument();
  });

  it('refetches when a signal names this request, not another one', async () => {
    let calls = 0;
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) => {
        calls += 1;
        return res(
          ctx.json(
            calls === 1 ? makeDetail() : makeDetail({ state: 'approved' }),
          ),
        );
      }),
    );
    const signals = new FakeSignalApi();
    await renderRequest(REQUEST_ID, signals);
    await screen.findByLabelText('State: pending approval');

    signals.publish(SELF_SERVICE_SIGNAL_CHANNEL, {
      requestId: '00000000-0000-4000-8000-00000000ffff',
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(calls).toBe(1);

    signals.publish(SELF_SERVICE_SIGNAL_CHANNEL, { requestId: REQUEST_ID });
    expect(await screen.findByLabelText('State: approved')).toBeInTheDocument();
    await waitFor(() => expect(calls).toBe(2));
  });
});
