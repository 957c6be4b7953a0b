import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { formatDateTime } from '../../utils/format';

/** Who decided what and when, with their comments, oldest first. */
export function DecisionTimeline(props: { detail: SelfServiceRequestDetail }) {
  const { decisions, stages } = props.detail;
  const sorted = [...decisions].sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );
  return (
    <InfoCard title="Decisions">
      {sorted.length === 0 && (
        <Typography variant="body2">Nobody has decided yet.</Typography>
      )}
      <Box
        component="ol"
        aria-label="Decisions"
        style={{ margin: 0, paddingLeft: 16 }}
      >
        {sorted.map(decision => (
          <Box component="li" key={decision.id} mb={1}>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <Chip
                size="small"
                label={
                  decision.decision === 'approve' ? 'approved' : 'rejected'
                }
                color={
                  decision.decision === 'approve' ? 'primary' : 'secondary'
                }
              />
              <EntityRefLink entityRef={decision.approver} defaultKind="user" />
              <Typography variant="caption" color="textSecondary">
                {stages[decision.stage]?.name ?? `stage ${decision.stage + 1}`}{' '}
                · {formatDateTime(decision.createdAt)}
              </Typography>
            </Box>
            {decision.comment && (
              <Typography
                variant="body2"
                style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
              >
                “{decision.comment}”
              </Typography>
            )}
          </Box>
        ))}
      </Box>
    </InfoCard>
  );
}
