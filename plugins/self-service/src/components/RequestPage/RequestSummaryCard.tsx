import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { formatDateTime, formatRelative } from '../../utils/format';
import { formatDays } from '../../utils/requestTitle';
import { EnvironmentChip } from '../shared/EnvironmentChip';
import { ExpiryCountdown } from '../shared/ExpiryCountdown';
import { StateChip } from '../shared/StateChip';

function Row(props: { label: string; children: ReactNode }) {
  return (
    <Box display="flex" flexWrap="wrap" py={0.5} style={{ gap: 8 }}>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ minWidth: '8em' }}
      >
        {props.label}
      </Typography>
      <Typography
        variant="body2"
        component="div"
        style={{ wordBreak: 'break-word' }}
      >
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * The resource's expiry: a countdown while it is live. An extension shows
 * what it asks for and the expiry it moved instead; a change has none of
 * its own (the resource's is on its request).
 */
function ExpiryRows(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  if (detail.kind === 'extension') {
    const extension = detail.extension;
    return (
      <>
        {extension && (
          <Row label="Extends by">{formatDays(extension.days)}</Row>
        )}
        {extension?.previousExpiresAt && (
          <Row label="Previous expiry">
            {formatDateTime(extension.previousExpiresAt)}
          </Row>
        )}
        {extension?.newExpiresAt && (
          <Row label="New expiry">{formatDateTime(extension.newExpiresAt)}</Row>
        )}
      </>
    );
  }
  if (detail.kind === 'change' || !detail.expiresAt) {
    return null;
  }
  return (
    <Row label="Expires">
      {detail.state === 'succeeded' ? (
        <ExpiryCountdown expiresAt={detail.expiresAt} />
      ) : (
        formatDateTime(detail.expiresAt)
      )}
    </Row>
  );
}

/** Who asked for what, for which team and environment, and where it stands. */
export function RequestSummaryCard(props: {
  detail: SelfServiceRequestDetail;
  actions: ReactNode;
}) {
  const { detail } = props;
  return (
    <InfoCard title="Request">
      {detail.stateReason && (
        <Box mb={1}>
          <Alert severity={detail.state === 'succeeded' ? 'info' : 'warning'}>
            {detail.stateReason}
          </Alert>
        </Box>
      )}
      <Row label="State">
        <StateChip state={detail.state} />
      </Row>
      <Row label="Template">
        <EntityRefLink entityRef={detail.templateRef} defaultKind="template" />
      </Row>
      <Row label="Requester">
        <EntityRefLink entityRef={detail.requester} defaultKind="user" />
      </Row>
      <Row label="Team">
        <EntityRefLink entityRef={detail.team} defaultKind="group" />
      </Row>
      <Row label="Environment">
        <EnvironmentChip environment={detail.environment} />
      </Row>
      <Row label="Submitted">
        {formatDateTime(detail.createdAt)} ({formatRelative(detail.createdAt)})
      </Row>
      {detail.decisionDeadline && (
        <Row label="Decide by">{formatDateTime(detail.decisionDeadline)}</Row>
      )}
      <ExpiryRows detail={detail} />
      {detail.justification && (
        <Row label="Justification">
          <span style={{ whiteSpace: 'pre-wrap' }}>{detail.justification}</span>
        </Row>
      )}
      <Box mt={2}>{props.actions}</Box>
    </InfoCard>
  );
}
