import { screen, waitFor } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeRequest, makeUsage } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { CostEstimateField } from './CostEstimateField';

type Props = Parameters<typeof CostEstimateField>[0];

function fieldProps(
  formData: Record<string, unknown>,
  options: Record<string, unknown> = {},
): Props {
  return {
    name: 'costEstimate',
    schema: { title: 'Estimated monthly cost', type: 'string' },
    uiSchema: {
      'ui:options': {
        templateRef: 'template:default/postgres-database',
        ...options,
      },
    },
    formContext: { formData },
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    idSchema: { $id: 'root_costEstimate' },
    disabled: false,
    readonly: false,
    rawErrors: [],
    registry: {} as any,
  } as unknown as Props;
}

describe('CostEstimateField', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('prices the other form values once the form is still, with the team budget', async () => {
    const bodies: unknown[] = [];
    server.use(
      rest.post(`${API_BASE}/estimate`, async (req, res, ctx) => {
        bodies.push(await req.json());
        return res(ctx.json({ ...makeRequest().cost, usage: makeUsage() }));
      }),
    );
    const view = await renderWithApp(
      <CostEstimateField
        {...fieldProps({
          instance_size: 'small',
          team: 'team-a',
          costEstimate: 'x',
        })}
      />,
    );
    // Typing quickly: only the last values are priced.
    view.rerender(
      <CostEstimateField
        {...fieldProps({ instance_size: 'medium', team: 'team-a' })}
      />,
    );
    view.rerender(
      <CostEstimateField
        {...fieldProps({ instance_size: 'large', team: 'team-a' })}
      />,
    );

    expect(await screen.findByText('$412.50')).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        templateRef: 'template:default/postgres-database',
        parameters: { instance_size: 'large', team: 'team-a' },
        team: 'group:default/team-a',
      },
    ]);
    expect(screen.getByText('$400')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Not priced' })).toHaveTextContent(
      'aws_kms_key.db',
    );
    // 287.50 left, the request costs 412.50: it does not fit.
    expect(
      screen.getByText(
        /Budget left for team-a: \$287\.50 of \$1,000 per month/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/exceeds the team's remaining budget by \$125/),
    ).toBeInTheDocument();
  });

  it('says how much is left after the request when it fits', async () => {
    server.use(
      rest.post(`${API_BASE}/estimate`, (_req, res, ctx) =>
        res(
          ctx.json({
            currency: 'USD',
            monthlyTotal: 87.5,
            lines: [{ item: 'small instance', monthly: 87.5 }],
            unpriced: [],
            usage: makeUsage(),
          }),
        ),
      ),
    );
    await renderWithApp(
      <CostEstimateField {...fieldProps({ team: 'group:default/team-a' })} />,
    );
    expect(
      await screen.findByText(/\$200 after this request/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/exceeds/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Not priced' }),
    ).not.toBeInTheDocument();
  });

  it('shows why there is no estimate yet', async () => {
    server.use(
      rest.post(`${API_BASE}/estimate`, (_req, res, ctx) =>
        res(
          ctx.status(400),
          ctx.json({
            error: {
              name: 'InputError',
              message: 'parameters.instance_size is required',
            },
            response: { statusCode: 400 },
          }),
        ),
      ),
    );
    await renderWithApp(<CostEstimateField {...fieldProps({})} />);
    expect(
      await screen.findByText(
        'No estimate yet: parameters.instance_size is required',
      ),
    ).toBeInTheDocument();
  });

  it('asks for a templateRef when it cannot tell the template', async () => {
    const called = jest.fn();
    server.use(
      rest.post(`${API_BASE}/estimate`, (_req, res, ctx) => {
        called();
        return res(ctx.json({}));
      }),
    );
    const props = fieldProps({});
    props.uiSchema = {};
    await renderWithApp(<CostEstimateField {...props} />);
    expect(
      screen.getByText(/The cost estimate is not configured/),
    ).toBeInTheDocument();
    await new Promise(resolve => setTimeout(resolve, 400));
    await waitFor(() => expect(called).not.toHaveBeenCalled());
  });
});
