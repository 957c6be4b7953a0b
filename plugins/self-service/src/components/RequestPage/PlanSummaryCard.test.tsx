import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  planSummarySchema,
  type PlanSummary,
} from '@internal/plugin-self-service-common';
import { PlanSummaryCard } from './PlanSummaryCard';

const plan: PlanSummary = planSummarySchema.parse({
  terraformVersion: '1.11.4',
  counts: { create: 0, update: 1, delete: 0, replace: 0, import: 1 },
  resources: [
    {
      address: 'terraform_data.imported',
      type: 'terraform_data',
      action: 'import',
      importing: true,
      importId: 'existing-object-1',
      changes: [],
    },
    {
      address: 'test_instance.baz',
      type: 'test_instance',
      action: 'update',
      previousAddress: 'test_instance.foo',
      changes: [{ path: 'ami', before: 'foo', after: 'baz' }],
    },
    {
      address: 'test_instance.test[0]',
      type: 'test_instance',
      action: 'no-op',
      previousAddress: 'test_instance.test',
      changes: [],
    },
  ],
  complete: false,
  deferred: [
    {
      address: 'terraform_data.node[*]',
      action: 'create',
      reason: 'instance_count_unknown',
    },
  ],
  actionInvocations: [
    {
      address: 'action.http_post.notify',
      type: 'http_post',
      triggeredBy: 'test_instance.baz',
      event: 'AfterUpdate',
      config: [
        { path: 'url', after: 'https://hooks.example.com' },
        { path: 'token', after: '(sensitive)', sensitive: true },
      ],
    },
  ],
});

describe('PlanSummaryCard', () => {
  it('shows imports, moves, an incomplete plan and provider actions', async () => {
    await renderInTestApp(<PlanSummaryCard plan={plan} />);
    expect(screen.getByText('1 to import')).toBeInTheDocument();
    const imports = screen.getByRole('region', {
      name: 'Import (existing objects, no change)',
    });
    expect(
      within(imports).getByText(
        /imported from existing object existing-object-1/,
      ),
    ).toBeInTheDocument();
    const updates = screen.getByRole('region', { name: 'Update in place' });
    expect(
      within(updates).getByText(/moved from test_instance\.foo/),
    ).toBeInTheDocument();
    // a resource that only moved is listed too
    expect(
      within(updates).getByText(/moved from test_instance\.test\)/),
    ).toBeInTheDocument();
    const warning = screen.getByLabelText('Incomplete plan');
    expect(warning).toHaveTextContent('This plan is incomplete');
    expect(warning).toHaveTextContent(
      'terraform_data.node[*]: create deferred (instance_count_unknown)',
    );
    const actions = screen.getByRole('region', { name: 'Actions to invoke' });
    expect(actions).toHaveTextContent(
      'action.http_post.notify (AfterUpdate test_instance.baz): url = https://hooks.example.com, token = (sensitive)',
    );
  });

  it('renders a summary stored before imports and moves existed', async () => {
    const old = planSummarySchema.parse({
      counts: { create: 1, update: 0, delete: 0, replace: 0 },
      resources: [
        {
          address: 'a.b',
          type: 'a',
          action: 'create',
          changes: [{ path: 'x', after: 1 }],
        },
      ],
    });
    await renderInTestApp(<PlanSummaryCard plan={old} />);
    expect(screen.getByText('1 to create')).toBeInTheDocument();
    expect(screen.queryByText(/to import/)).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Incomplete plan')).not.toBeInTheDocument();
  });
});
