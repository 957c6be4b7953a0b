import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_EXPIRES_AT,
  ANNOTATION_REQUEST_ID,
} from '@internal/plugin-self-service-common';
import useAsync from 'react-use/esm/useAsync';
import { selfServiceApiRef } from '../../api';
import { useRequestLink } from '../../hooks/useRequestLink';
import { errorMessage } from '../../utils/errors';
import {
  formatDateTime,
  formatMoney,
  formatRelative,
  shortRef,
} from '../../utils/format';
import { StateChip } from '../shared/StateChip';

function RequestSummary(props: { id: string }) {
  const api = useApi(selfServiceApiRef);
  const request = useAsync(() => api.getRequest(props.id), [api, props.id]);
  if (request.loading) {
    return <Progress />;
  }
  if (request.error) {
    return (
      <Typography variant="body2" color="textSecondary">
        The request's details are not available: {errorMessage(request.error)}
      </Typography>
    );
  }
  const detail = request.value!;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 8 }}>
      <StateChip state={detail.state} />
      <Typography variant="body2">
        {shortRef(detail.templateRef)} for {shortRef(detail.team)} ·{' '}
        {formatMoney(detail.cost.monthlyTotal, detail.cost.currency)} per month
      </Typography>
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
  const text = `${formatDateTime(props.expiresAt)} (${formatRelative(props.expiresAt)})`;
  if (time <= Date.now()) {
    return (
      <Alert severity="warning">
        Expired {text}; it is due to be destroyed.
      </Alert>
    );
  }
  return <Typography variant="body2">Expires {text}.</Typography>;
}

/** On a provisioned Resource's page: the request that created it and its expiry. */
export function SelfServiceResourceCard() {
  const { entity } = useEntity();
  const requestLink = useRequestLink();
  const annotations = entity.metadata.annotations ?? {};
  const requestId = annotations[ANNOTATION_REQUEST_ID];
  if (!requestId) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_REQUEST_ID} />;
  }
  return (
    <InfoCard title="Self-service">
      <Typography variant="subtitle2">Request</Typography>
      <Box mb={1}>
        <Link to={requestLink(requestId)}>{requestId}</Link>
      </Box>
      <Box mb={2}>
        <RequestSummary id={requestId} />
      </Box>
      <Typography variant="subtitle2">Expiry</Typography>
      <Expiry expiresAt={annotations[ANNOTATION_EXPIRES_AT]} />
    </InfoCard>
  );
}
