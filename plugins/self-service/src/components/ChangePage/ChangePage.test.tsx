import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { registerMswTestHooks } from '@backstage/test-utils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { REQUEST_ID, makeDetail } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { SelfServicePage } from '../SelfServicePage';

/** The postgres template's form, as the scaffolder serves it. */
const PARAMETER_SCHEMA = {
  title: 'PostgreSQL database',
  steps: [
    {
      title: 'Database',
      schema: {
        type: 'object',
        required: ['name', 'team', 'storage_gb', 'environment'],
        properties: {
          name: { title: 'Name', type: 'string' },
          team: {
            title: 'Owning team',
            type: 'string',
            'ui:field': 'SelfServiceTeamPicker',
          },
          storage_gb: {
            title: 'Storage (GB)',
            type: 'integer',
            minimum: 20,
            maximum: 500,
          },
          environment: {
            title: 'Environment',
            type: 'string',
            enum: ['dev', 'staging', 'production'],
          },
          costEstimate: {
            title: 'Estimated monthly cost',
            type: 'string',
            'ui:field': 'SelfServiceCostEstimate',
          },
        },
      },
    },
  ],
};

function changeable(): SelfServiceRequestDetail {
  return makeDetail({
    state: 'succeeded',
    currentStage: null,
    environment: 'staging',
    canChange: true,
    parameters: {
      name: 'orders-db',
      team: 'group:default/team-a',
      storage_gb: 100,
      environment: 'staging',
    },
  });
}

describe('ChangePage', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const scaffolderApi = {
    getTemplateParameterSchema: jest.fn(async () => PARAMETER_SCHEMA),
  };

  beforeEach(() => {
    // The form scrolls to its top on each step; jsdom has no scrolling.
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
    scaffolderApi.getTemplateParameterSchema.mockClear();
    server.use(
      rest.get(`${API_BASE}/requests/${REQUEST_ID}`, (_req, res, ctx) =>
        res(ctx.json(changeable())),
      ),
      rest.post(`${API_BASE}/estimate`, (_req, res, ctx) =>
        res(
          ctx.json({
            currency: 'USD',
            monthlyTotal: 35,
            lines: [],
            unpriced: [],
            priceBookVersion: '2026-01',
          }),
        ),
      ),
    );
  });

  function renderChange() {
    return renderWithApp(
      <Routes>
        <Route path="/self-service/*" element={<SelfServicePage />} />
        <Route
          path="/create/tasks/:taskId"
          element={<p>The scaffolder task page</p>}
        />
      </Routes>,
      {
        routeEntries: [`/self-service/requests/${REQUEST_ID}/change`],
        apis: [[scaffolderApiRef, scaffolderApi]],
      },
    );
  }

  async function reviewWithStorage(storage: string) {
    const field = await screen.findByLabelText(/Storage \(GB\)/);
    await userEvent.clear(field);
    await userEvent.type(field, storage);
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    return screen.findByRole('button', { name: 'Plan change' });
  }

  it("renders the template's form prefilled with the resource's parameters, team and environment locked", async () => {
    await renderChange();
    expect(
      await screen.findByRole('heading', { name: 'Change orders-db' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('change-explanation')).toHaveTextContent(
      'Changing orders-db: the plan runs against the existing resource; approvers see the update and the cost difference; team and environment cannot change.',
    );
    expect(await screen.findByLabelText(/^Name/)).toHaveValue('orders-db');
    expect(screen.getByLabelText(/Storage \(GB\)/)).toHaveValue(100);
    expect(scaffolderApi.getTemplateParameterSchema).toHaveBeenCalledWith(
      'template:default/postgres-database',
    );
    // The plugin's own fields render: the team (locked) and the estimate.
    const team = screen.getByLabelText(/Owning team/);
    expect(team).toHaveValue('team-a');
    expect(team).toBeDisabled();
    expect(screen.getByRole('button', { name: /staging/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(
      await screen.findByRole('region', { name: 'Estimated monthly cost' }),
    ).toBeInTheDocument();
  });

  it('starts the change with the edited parameters and follows its task', async () => {
    let body: any;
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/changes`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.status(202),
            ctx.json({ taskId: 't-9', taskPath: '/create/tasks/t-9' }),
          );
        },
      ),
    );
    await renderChange();
    await userEvent.click(await reviewWithStorage('200'));
    expect(
      await screen.findByText('The scaffolder task page'),
    ).toBeInTheDocument();
    expect(body).toEqual({
      parameters: {
        name: 'orders-db',
        team: 'group:default/team-a',
        storage_gb: 200,
        environment: 'staging',
      },
    });
  });

  it("shows the server's refusal and stays on the form", async () => {
    server.use(
      rest.post(
        `${API_BASE}/requests/${REQUEST_ID}/changes`,
        (_req, res, ctx) =>
          res(
            ctx.status(409),
            ctx.json({
              error: {
                name: 'ConflictError',
                message: 'A change of this request is already open',
              },
              response: { statusCode: 409 },
            }),
          ),
      ),
    );
    await renderChange();
    const submit = await reviewWithStorage('200');
    await userEvent.click(submit);
    expect(await screen.findByTestId('change-error')).toHaveTextContent(
      'A change of this request is already open',
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Plan change' })).toBeEnabled(),
    );
    expect(
      within(screen.getByTestId('change-error')).queryByRole('link'),
    ).not.toBeInTheDocument();
  });
});
