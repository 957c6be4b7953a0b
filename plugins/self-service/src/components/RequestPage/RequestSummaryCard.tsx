import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { formatDateTime, formatRelative } from '../../utils/format';
import { EnvironmentChip } from '../shared/EnvironmentChip';
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
      {detail.expiresAt && (
        <Row label="Expires">{formatDateTime(detail.expiresAt)}</Row>
      )}
      {detail.justification && (
        <Row label="Justification">
          <span style={{ whiteSpace: 'pre-wrap' }}>{detail.justification}</span>
        </Row>
      )}
      <Box mt={2}>{props.actions}</Box>
    </InfoCard>
  );
}
