import { screen } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { WhyNoDecision } from './WhyNoDecision';

const detail = {
  id: 'r1',
  requester: 'user:default/dev',
  state: 'pending_approval',
  canDecide: false,
  currentStage: 0,
  stages: [
    {
      name: 'team-lead',
      groups: ['group:default/team-a-leads'],
      quorum: 1,
      approvals: 0,
      decided: false,
    },
  ],
} as unknown as SelfServiceRequestDetail;

function identity(userEntityRef: string, ownershipEntityRefs: string[]) {
  return {
    getBackstageIdentity: async () => ({
      type: 'user' as const,
      userEntityRef,
      ownershipEntityRefs,
    }),
  } as any;
}

async function renderAs(user: string, groups: string[], d = detail) {
  await renderInTestApp(
    <TestApiProvider
      apis={[[identityApiRef, identity(user, [user, ...groups])]]}
    >
      <WhyNoDecision detail={d} />
    </TestApiProvider>,
  );
}

describe('WhyNoDecision', () => {
  it('tells the requester they cannot decide their own request', async () => {
    await renderAs('user:default/dev', ['group:default/team-a']);
    expect(
      await screen.findByText(/cannot approve or reject their own request/),
    ).toBeInTheDocument();
  });

  it('tells an outsider which groups decide the current stage', async () => {
    await renderAs('user:default/outsider', []);
    expect(
      await screen.findByText(
        "Only members of group:default/team-a-leads decide the 'team-lead' stage.",
      ),
    ).toBeInTheDocument();
  });

  it('says nothing to someone who may decide, or once the request is no longer pending', async () => {
    await renderAs('user:default/lead', [], { ...detail, canDecide: true });
    expect(screen.queryByTestId('why-no-decision')).toBeNull();
  });
});
