import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';

/** The approval stages in order, each with its quorum progress. */
export function ApprovalStagesCard(props: {
  detail: SelfServiceRequestDetail;
}) {
  const { stages, currentStage, state } = props.detail;
  return (
    <InfoCard title="Approvals">
      {stages.length === 0 && (
        <Typography variant="body2">
          No approval needed: the request was approved automatically.
        </Typography>
      )}
      {stages.map((stage, index) => {
        const current = state === 'pending_approval' && currentStage === index;
        let status = 'not reached';
        if (stage.decided) status = 'done';
        else if (current) status = 'waiting';
        return (
          <Box
            key={`${stage.name}-${index}`}
            mb={2}
            aria-label={`Stage ${stage.name}`}
            component="section"
          >
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <Typography variant="subtitle2">
                {index + 1}. {stage.name}
              </Typography>
              <Chip
                size="small"
                variant={current ? 'default' : 'outlined'}
                color={current ? 'primary' : 'default'}
                label={status}
              />
            </Box>
            <Typography variant="body2" component="div">
              Approvers:{' '}
              <EntityRefLinks entityRefs={stage.groups} defaultKind="group" />
            </Typography>
            <Typography variant="body2">
              {stage.approvals} of {stage.quorum} approvals
            </Typography>
            <LinearProgress
              variant="determinate"
              value={Math.min(
                100,
                (stage.approvals / Math.max(1, stage.quorum)) * 100,
              )}
              aria-label={`${stage.name}: ${stage.approvals} of ${stage.quorum} approvals`}
            />
          </Box>
        );
      })}
    </InfoCard>
  );
}
