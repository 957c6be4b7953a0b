import Alert from '@material-ui/lab/Alert';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  checkDecider,
  type DecideRefusal,
  type SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import { formatRelative } from '../../utils/format';

function explain(
  refusal: DecideRefusal | undefined,
  detail: SelfServiceRequestDetail,
): string | undefined {
  const stage =
    detail.currentStage === null ? undefined : detail.stages[detail.currentStage];
  switch (refusal?.code) {
    case undefined:
      // The rules would let this person decide; the organisation's
      // permission policy narrows who may.
      return "The organisation's permission policy does not let you decide this request.";
    case 'not-pending':
      return undefined;
    case 'self-approval':
      return 'You requested this: a requester cannot approve or reject their own request.';
    case 'deadline-passed':
      return `The decision deadline passed ${formatRelative(detail.decisionDeadline!)}; the request is about to expire.`;
    case 'already-decided': {
      const left = stage ? Math.max(0, stage.quorum - stage.approvals) : 0;
      return `You have already decided the '${stage?.name}' stage${
        left > 0 ? `; it waits for ${left} more approval${left === 1 ? '' : 's'}` : ''
      }.`;
    }
    default:
      return stage
        ? `Only members of ${stage.groups.join(', ')} decide the '${stage.name}' stage.`
        : refusal!.message;
  }
}

/**
 * Tells someone looking at a pending request why they have no Approve
 * button, instead of leaving them to guess. The reason comes from the same
 * rule the backend decides with (`checkDecider` of the common package):
 * self-approval, the stage's groups (compared as entity refs, ignoring
 * case), an earlier decision of theirs, the deadline.
 */
export function WhyNoDecision(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  const identityApi = useApi(identityApiRef);
  const { value: identity } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );

  if (detail.canDecide || detail.state !== 'pending_approval' || !identity) {
    return null;
  }
  const refusal = checkDecider({
    request: detail,
    decisions: detail.decisions ?? [],
    decider: identity,
    now: new Date(),
  });
  const message = explain(refusal, detail);
  if (!message) return null;
  return (
    <Alert severity="info" data-testid="why-no-decision">
      {message}
    </Alert>
  );
}
