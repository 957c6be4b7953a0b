import { screen, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { makeTemplate } from '../../__testUtils__/templateEntity';
import { API_BASE, renderWithApp } from '../../__testUtils__/renderWithApp';
import { ANNOTATION_PRICE_RANGE } from '../../annotations';
import { SelfServiceTemplateCard } from './SelfServiceTemplateCard';

const PRICES: Record<string, number> = { small: 20, medium: 90, large: 400 };

describe('SelfServiceTemplateCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows who approves and the estimated price range', async () => {
    const bodies: any[] = [];
    server.use(
      rest.post(`${API_BASE}/estimate`, async (req, res, ctx) => {
        const body = await req.json();
        bodies.push(body);
        return res(
          ctx.json({
            currency: 'USD',
            monthlyTotal: PRICES[body.parameters.instance_size],
            lines: [],
            unpriced: [],
          }),
        );
      }),
    );
    await renderWithApp(
      <EntityProvider entity={makeTemplate()}>
        <SelfServiceTemplateCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('$20 – $400 per month'),
    ).toBeInTheDocument();
    expect(bodies.map(b => b.templateRef)).toEqual([
      'template:default/postgres-database',
      'template:default/postgres-database',
    ]);
    const approvals = screen.getByRole('list', { name: 'Approvals' });
    expect(
      within(approvals).getByText(/when environment is production/),
    ).toBeInTheDocument();
    expect(
      within(approvals).getByRole('link', { name: 'team-a-leads' }),
    ).toBeInTheDocument();
    expect(within(approvals).getByText(/2 of/)).toBeInTheDocument();
    expect(
      within(approvals).getByRole('link', { name: 'dba' }),
    ).toBeInTheDocument();
  });

  it('falls back to the price-range annotation when the estimate is refused', async () => {
    server.use(
      rest.post(`${API_BASE}/estimate`, (_req, res, ctx) =>
        res(
          ctx.status(400),
          ctx.json({
            error: { name: 'InputError', message: 'bad' },
            response: { statusCode: 400 },
          }),
        ),
      ),
    );
    const entity = makeTemplate();
    entity.metadata.annotations = {
      [ANNOTATION_PRICE_RANGE]: '$20 to $400 a month',
    };
    await renderWithApp(
      <EntityProvider entity={entity}>
        <SelfServiceTemplateCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('$20 to $400 a month')).toBeInTheDocument();
  });

  it('says when there is neither an estimate nor an annotation, nor approvers', async () => {
    const entity = makeTemplate({ spec: { parameters: [], steps: [] } });
    await renderWithApp(
      <EntityProvider entity={entity}>
        <SelfServiceTemplateCard />
      </EntityProvider>,
    );
    expect(await screen.findByText(/No price range/)).toBeInTheDocument();
    expect(
      screen.getByText(/No approval stage is declared/),
    ).toBeInTheDocument();
  });
});
