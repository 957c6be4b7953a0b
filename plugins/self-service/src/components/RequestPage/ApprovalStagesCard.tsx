import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';

type StageStatus = 'approved' | 'rejected' | 'waiting' | 'not reached';

/**
 * Where a stage stands, from the decisions made at it: a stage is approved
 * only when its quorum approved, rejected when someone rejected at it; a
 * stage nobody decided is waiting (the current one) or was never reached.
 */
export function stageStatus(
  detail: SelfServiceRequestDetail,
  index: number,
): StageStatus {
  const stage = detail.stages[index];
  const atStage = detail.decisions.filter(d => d.stage === index);
  if (atStage.some(d => d.decision === 'reject')) return 'rejected';
  if (stage.decided && stage.approvals >= stage.quorum) return 'approved';
  if (detail.state === 'pending_approval' && detail.currentStage === index) {
    return 'waiting';
  }
  return 'not reached';
}

/** The approval stages in order, each with its quorum progress. */
export function ApprovalStagesCard(props: {
  detail: SelfServiceRequestDetail;
}) {
  const { stages } = props.detail;
  return (
    <InfoCard title="Approvals">
      {stages.length === 0 && (
        <Typography variant="body2">
          No approval needed: the request was approved automatically.
        </Typography>
      )}
      {stages.map((stage, index) => {
        const status = stageStatus(props.detail, index);
        const current = status === 'waiting';
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
                color={
                  (current && 'primary') ||
                  (status === 'rejected' && 'secondary') ||
                  'default'
                }
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
