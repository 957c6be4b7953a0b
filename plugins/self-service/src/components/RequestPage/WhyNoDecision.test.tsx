import { screen } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { WhyNoDecision } from './WhyNoDecision';

const LEADS = 'group:default/team-a-leads';

const detail = {
  id: 'r1',
  requester: 'user:default/dev',
  environment: 'production',
  state: 'pending_approval',
  canDecide: false,
  currentStage: 0,
  approvalPolicy: {
    stages: [{ name: 'team-lead', groups: [LEADS], quorum: 2 }],
    allowSelfApprovalOutsideProduction: false,
  },
  decisions: [],
  stages: [
    { name: 'team-lead', groups: [LEADS], quorum: 2, approvals: 0, decided: false },
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
    <TestApiProvider apis={[[identityApiRef, identity(user, [user, ...groups])]]}>
      <WhyNoDecision detail={d} />
    </TestApiProvider>,
  );
}

describe('WhyNoDecision', () => {
  it('tells the requester they cannot decide their own request', async () => {
    await renderAs('user:default/dev', ['group:default/team-a', LEADS]);
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

  it('compares groups as the backend does, ignoring case, and then blames the permission policy', async () => {
    await renderAs('user:default/lead', ['group:default/Team-A-Leads']);
    expect(await screen.findByText(/permission policy does not let you decide/)).toBeInTheDocument();
  });

  it('tells an approver who already decided how many approvals the stage still waits for', async () => {
    const decided = {
      ...detail,
      decisions: [{ id: 'd1', approver: 'user:default/lead', stage: 0, decision: 'approve' }],
      stages: [{ ...detail.stages[0], approvals: 1 }],
    } as unknown as SelfServiceRequestDetail;
    await renderAs('user:default/lead', [LEADS], decided);
    expect(
      await screen.findByText("You have already decided the 'team-lead' stage; it waits for 1 more approval."),
    ).toBeInTheDocument();
  });

  it('does not call a requester who may approve their own dev request a requester', async () => {
    const dev = {
      ...detail,
      environment: 'dev',
      approvalPolicy: { ...detail.approvalPolicy, allowSelfApprovalOutsideProduction: true },
    } as unknown as SelfServiceRequestDetail;
    await renderAs('user:default/dev', [], dev);
    expect(await screen.findByText(/Only members of/)).toBeInTheDocument();
    expect(screen.queryByText(/their own request/)).toBeNull();
  });

  it('says the deadline passed', async () => {
    const late = { ...detail, decisionDeadline: '2020-01-01T00:00:00Z' } as unknown as SelfServiceRequestDetail;
    await renderAs('user:default/lead', [LEADS], late);
    expect(await screen.findByText(/decision deadline passed/)).toBeInTheDocument();
  });

  it('says nothing to someone who may decide, or once the request is no longer pending', async () => {
    await renderAs('user:default/lead', [], { ...detail, canDecide: true });
    expect(screen.queryByTestId('why-no-decision')).toBeNull();
  });
});
