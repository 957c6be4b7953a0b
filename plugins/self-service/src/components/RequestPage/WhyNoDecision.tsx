import Alert from '@material-ui/lab/Alert';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';

/**
 * Tells someone looking at a pending request why they have no Approve
 * button, instead of leaving them to guess: the requester never decides
 * their own request, and only the current stage's groups decide.
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
  const stage =
    detail.currentStage === null
      ? undefined
      : detail.stages[detail.currentStage];
  let message = 'You cannot decide this request.';
  if (identity.userEntityRef === detail.requester) {
    message =
      'You requested this: a requester cannot approve or reject their own request.';
  } else if (stage) {
    const member = stage.groups.some(g =>
      identity.ownershipEntityRefs.includes(g),
    );
    message = `Only members of ${stage.groups.join(', ')} decide the '${stage.name}' stage${
      member ? ', and you have already decided it' : ''
    }.`;
  }
  return (
    <Alert severity="info" data-testid="why-no-decision">
      {message}
    </Alert>
  );
}
