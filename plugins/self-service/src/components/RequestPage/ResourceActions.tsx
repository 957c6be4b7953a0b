import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import type {
  ExtendResponse,
  SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import { useRequestLink } from '../../hooks/useRequestLink';
import { EXTEND_QUERY_PARAM, changeRequestRouteRef } from '../../routes';
import { formatDate } from '../../utils/format';
import { formatDays } from '../../utils/requestTitle';
import { ExtendDialog } from './ExtendDialog';

function ExtensionOutcome(props: {
  response: ExtendResponse;
  onClose: () => void;
}) {
  const { extension, target } = props.response;
  const requestLink = useRequestLink();
  const days = extension.extension?.days;
  const by = days ? ` by ${formatDays(days)}` : '';
  if (extension.state === 'succeeded') {
    return (
      <Alert
        severity="success"
        onClose={props.onClose}
        data-testid="extension-applied"
      >
        Extended{by}
        {target.expiresAt
          ? `: it now expires on ${formatDate(target.expiresAt)}.`
          : '.'}
      </Alert>
    );
  }
  return (
    <Alert
      severity="info"
      onClose={props.onClose}
      data-testid="extension-pending"
    >
      Your extension{by} waits for approval; the expiry moves once it is
      approved.{' '}
      <Link to={requestLink(extension.id)} data-testid="extension-pending-link">
        Follow the extension request
      </Link>
    </Alert>
  );
}

/**
 * Day-2 actions on a provisioned resource: Change opens the template's form
 * prefilled with today's parameters, Extend asks for more time before the
 * expiry. The backend says who may (`canChange`, `canExtend`).
 */
export function ResourceActions(props: {
  detail: SelfServiceRequestDetail;
  /** Loads the request again: an extension moves its expiry. */
  onRefresh: () => void;
}) {
  const { detail, onRefresh } = props;
  const navigate = useNavigate();
  const changeLink = useRouteRef(changeRequestRouteRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const [extending, setExtending] = useState(
    () =>
      Boolean(detail.canExtend) && searchParams.get(EXTEND_QUERY_PARAM) === '1',
  );
  const [outcome, setOutcome] = useState<ExtendResponse>();

  if (!detail.canChange && !detail.canExtend && !outcome) {
    return null;
  }

  const closeDialog = () => {
    setExtending(false);
    // A reload should not open the dialog again.
    if (searchParams.has(EXTEND_QUERY_PARAM)) {
      const rest = new URLSearchParams(searchParams);
      rest.delete(EXTEND_QUERY_PARAM);
      setSearchParams(rest, { replace: true });
    }
  };

  return (
    <Box mt={2}>
      {outcome && (
        <Box mb={2}>
          <ExtensionOutcome
            response={outcome}
            onClose={() => setOutcome(undefined)}
          />
        </Box>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {detail.canChange && (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => navigate(changeLink({ id: detail.id }))}
          >
            Change
          </Button>
        )}
        {detail.canExtend && (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setExtending(true)}
          >
            Extend
          </Button>
        )}
      </Box>
      {extending && (
        <ExtendDialog
          detail={detail}
          onClose={closeDialog}
          onExtended={response => {
            closeDialog();
            setOutcome(response);
            onRefresh();
          }}
        />
      )}
    </Box>
  );
}
