import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_EXPIRES_AT,
  ANNOTATION_REQUEST_ID,
  type SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import useAsync from 'react-use/esm/useAsync';
import { selfServiceApiRef } from '../../api';
import { useRequestLink } from '../../hooks/useRequestLink';
import { EXTEND_QUERY_PARAM, changeRequestRouteRef } from '../../routes';
import { errorMessage } from '../../utils/errors';
import {
  formatDateTime,
  formatMoney,
  formatRelative,
  shortRef,
} from '../../utils/format';
import { ExpiryCountdown } from '../shared/ExpiryCountdown';
import { StateChip } from '../shared/StateChip';

function RequestSummary(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 8 }}>
      <StateChip state={detail.state} />
      <Typography variant="body2">
        {shortRef(detail.templateRef)} for {shortRef(detail.team)} ·{' '}
        {formatMoney(detail.cost.monthlyTotal, detail.cost.currency)} per month
      </Typography>
      {/* Nothing exists behind a simulated resource; the card says so too. */}
      {detail.planSummary?.simulated && (
        <Typography
          variant="body2"
          color="error"
          data-testid="resource-simulated"
          title="No Terraform ran: the plan and apply were replayed from a recording"
        >
          Simulated: nothing was provisioned
        </Typography>
      )}
    </Box>
  );
}

/** Change and Extend lead to the request's page, where both are done. */
function DayTwoLinks(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  const requestLink = useRequestLink();
  const changeLink = useRouteRef(changeRequestRouteRef);
  if (!detail.canChange && !detail.canExtend) {
    return null;
  }
  return (
    <Box display="flex" flexWrap="wrap" mt={2} style={{ gap: 8 }}>
      {detail.canChange && (
        <LinkButton
          to={changeLink({ id: detail.id })}
          variant="outlined"
          color="primary"
        >
          Change
        </LinkButton>
      )}
      {detail.canExtend && (
        <LinkButton
          to={`${requestLink(detail.id)}?${EXTEND_QUERY_PARAM}=1`}
          variant="outlined"
          color="primary"
        >
          Extend
        </LinkButton>
      )}
    </Box>
  );
}

function Expiry(props: { expiresAt?: string }) {
  if (!props.expiresAt) {
    return <Typography variant="body2">Does not expire.</Typography>;
  }
  const time = Date.parse(props.expiresAt);
  if (Number.isNaN(time)) {
    return <Typography variant="body2">Expiry: {props.expiresAt}</Typography>;
  }
  if (time <= Date.now()) {
    return (
      <Alert severity="warning">
        Expired {formatDateTime(props.expiresAt)} (
        {formatRelative(props.expiresAt)}); it is due to be destroyed.
      </Alert>
    );
  }
  return (
    <Typography variant="body2" component="div">
      <ExpiryCountdown expiresAt={props.expiresAt} />
    </Typography>
  );
}

/**
 * On a provisioned Resource's page: the request that created it, its
 * expiry, and links to change or extend it.
 */
export function SelfServiceResourceCard() {
  const { entity } = useEntity();
  const requestLink = useRequestLink();
  const api = useApi(selfServiceApiRef);
  const annotations = entity.metadata.annotations ?? {};
  const requestId = annotations[ANNOTATION_REQUEST_ID];
  const request = useAsync(
    async () => (requestId ? api.getRequest(requestId) : undefined),
    [api, requestId],
  );
  if (!requestId) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_REQUEST_ID} />;
  }
  let summary;
  if (request.loading) {
    summary = <Progress />;
  } else if (request.error || !request.value) {
    summary = (
      <Typography variant="body2" color="textSecondary">
        The request's details are not available:{' '}
        {errorMessage(request.error ?? 'not found')}
      </Typography>
    );
  } else {
    summary = <RequestSummary detail={request.value} />;
  }
  // An extension moves the request's expiry before the catalog's annotation
  // catches up, so the request's own expiry wins once it is loaded.
  const expiresAt =
    request.value?.expiresAt ?? annotations[ANNOTATION_EXPIRES_AT];
  return (
    <InfoCard title="Self-service">
      <Typography variant="subtitle2">Request</Typography>
      <Box mb={1}>
        <Link to={requestLink(requestId)}>{requestId}</Link>
      </Box>
      <Box mb={2}>{summary}</Box>
      <Typography variant="subtitle2">Expiry</Typography>
      <Expiry expiresAt={expiresAt} />
      {request.value && <DayTwoLinks detail={request.value} />}
    </InfoCard>
  );
}
