import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import {
  REQUEST_ID,
  makeDetail,
  makeRequest,
} from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from '../SelfServicePage';

const EXTENSION_ID = '45c48cce-2e2d-4fbd-a3f0-9a1c1a2b3c4d';
const DAY = 24 * 3600 * 1000;

/** A provisioned staging database that expires in 10 days. */
function extendable(
  overrides: Partial<SelfServiceRequestDetail> = {},
): SelfServiceRequestDetail {
  return makeDetail({
    state: 'succeeded',
    environment: 'staging',
    currentStage: null,
    expiresAt: new Date(Date.now() + 10 * DAY).toISOString(),
    canExtend: true,
    extensionPolicy: { autoApproveDays: 7, maxDays: 30, stage: 'team-lead' },
    ...overrides,
  });
}

describe('ExtendDialog', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serve(detail: SelfServiceRequestDetail, onGet = jest.fn()) {
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) => {
        onGet();
        return res(ctx.json(detail));
      }),
    );
    return onGet;
  }

  function renderPage(query = '') {
    return renderWithApp(
      <Routes>
        <Route path="/self-service/*" element={<SelfServicePage />} />
      </Routes>,
      { routeEntries: [`/self-service/requests/${REQUEST_ID}${query}`] },
    );
  }

  async function openDialog() {
    await userEvent.click(
      await screen.findByRole('button', { name: 'Extend' }),
    );
    return within(await screen.findByRole('dialog'));
  }

  it('proposes a week, says it is approved at once and shows the new expiry', async () => {
    serve(extendable());
    await renderPage();
    const dialog = await openDialog();
    expect(dialog.getByLabelText(/Days/)).toHaveValue(7);
    expect(dialog.getByTestId('extend-policy')).toHaveTextContent(
      'Up to 7 days is approved at once; longer extensions wait for the team-lead stage. This one is approved at once.',
    );
    expect(dialog.getByTestId('extend-new-expiry')).toHaveTextContent(
      /New expiry: .*\(in 2 weeks\)/,
    );
  });

  it('proposes less than a week when less is approved at once', async () => {
    serve(
      extendable({
        extensionPolicy: {
          autoApproveDays: 3,
          maxDays: 14,
          stage: 'team-lead',
        },
      }),
    );
    await renderPage();
    const dialog = await openDialog();
    expect(dialog.getByLabelText(/Days/)).toHaveValue(3);
  });

  it('applies an extension within the limit at once and reloads the request', async () => {
    const gets = serve(extendable());
    let body: unknown;
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/extend`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.status(201),
            ctx.json({
              extension: makeRequest({
                id: EXTENSION_ID,
                kind: 'extension',
                state: 'succeeded',
                extension: { days: 5 },
              }),
              target: makeRequest({
                state: 'succeeded',
                expiresAt: '2026-12-20T12:00:00.000Z',
              }),
            }),
          );
        },
      ),
    );
    await renderPage();
    const dialog = await openDialog();
    const days = dialog.getByLabelText(/Days/);
    await userEvent.clear(days);
    await userEvent.type(days, '5');
    await userEvent.type(dialog.getByLabelText('Reason (optional)'), ' demo ');
    const loadsBefore = gets.mock.calls.length;
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request extension' }),
    );
    expect(await screen.findByTestId('extension-applied')).toHaveTextContent(
      'Extended by 5 days: it now expires on 20 Dec 2026.',
    );
    expect(body).toEqual({ days: 5, reason: 'demo' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(gets.mock.calls.length).toBeGreaterThan(loadsBefore),
    );
  });

  it('says a longer extension waits for its stage and links the extension request', async () => {
    serve(extendable());
    server.use(
      rest.post(`${API_BASE}/requests/${REQUEST_ID}/extend`, (_req, res, ctx) =>
        res(
          ctx.status(201),
          ctx.json({
            extension: makeRequest({
              id: EXTENSION_ID,
              kind: 'extension',
              state: 'pending_approval',
              extension: { days: 20 },
            }),
            target: makeRequest({ state: 'succeeded' }),
          }),
        ),
      ),
    );
    await renderPage();
    const dialog = await openDialog();
    const days = dialog.getByLabelText(/Days/);
    await userEvent.clear(days);
    await userEvent.type(days, '20');
    expect(dialog.getByTestId('extend-policy')).toHaveTextContent(
      'This one waits for the team-lead stage.',
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request extension' }),
    );
    const pending = await screen.findByTestId('extension-pending');
    expect(pending).toHaveTextContent(
      /extension by 20 days waits for approval/,
    );
    expect(
      within(pending).getByRole('link', {
        name: 'Follow the extension request',
      }),
    ).toHaveAttribute('href', `/self-service/requests/${EXTENSION_ID}`);
  });

  it('keeps the dialog open with the server message when the extension is refused', async () => {
    serve(extendable());
    server.use(
      rest.post(`${API_BASE}/requests/${REQUEST_ID}/extend`, (_req, res, ctx) =>
        res(
          ctx.status(409),
          ctx.json({
            error: {
              name: 'ConflictError',
              message: 'An extension of this request is already pending',
            },
            response: { statusCode: 409 },
          }),
        ),
      ),
    );
    await renderPage();
    const dialog = await openDialog();
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request extension' }),
    );
    expect(await dialog.findByTestId('extend-error')).toHaveTextContent(
      'An extension of this request is already pending',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('refuses more days than the environment allows before asking', async () => {
    serve(extendable());
    await renderPage();
    const dialog = await openDialog();
    const days = dialog.getByLabelText(/Days/);
    await userEvent.clear(days);
    await userEvent.type(days, '45');
    expect(dialog.getByText('At most 30 days at once')).toBeInTheDocument();
    expect(
      dialog.getByRole('button', { name: 'Request extension' }),
    ).toBeDisabled();
  });

  it('opens on arrival from the Resource card, and only when the request can be extended', async () => {
    serve(extendable());
    const first = await renderPage('?extend=1');
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    first.unmount();

    serve(extendable({ canExtend: false }));
    await renderPage('?extend=1');
    expect(
      await screen.findByLabelText('State: succeeded'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Extend' }),
    ).not.toBeInTheDocument();
  });
});
