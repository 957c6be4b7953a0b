import Alert from '@material-ui/lab/Alert';
import { Link } from '@backstage/core-components';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { useRequestLink } from '../../hooks/useRequestLink';
import { formatDays, requestName } from '../../utils/requestTitle';

/**
 * At the top of a change or an extension: which resource it is about, with
 * a link to that resource's own request, and what approving it does. Without
 * it an approver could read a change's plan as a new resource.
 */
export function FollowUpNotice(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  const requestLink = useRequestLink();
  const name = requestName(detail);
  const target = detail.targetRequestId ? (
    <Link
      to={requestLink(detail.targetRequestId)}
      data-testid="target-request-link"
    >
      {name}
    </Link>
  ) : (
    <strong>{name}</strong>
  );

  if (detail.kind === 'change') {
    return (
      <Alert severity="info" data-testid="follow-up-notice">
        A change of {target}: its plan updates the existing resource, and
        approving it applies that update. The cost shows the difference from
        what the resource costs today.
      </Alert>
    );
  }
  const days = detail.extension?.days;
  return (
    <Alert severity="info" data-testid="follow-up-notice">
      An extension of {target}
      {days ? ` by ${formatDays(days)}` : ''}: once approved, the resource's
      expiry moves and nothing else changes.
    </Alert>
  );
}
