import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import { costDeltaText } from '../../utils/costDelta';
import { CostBreakdown } from '../shared/CostBreakdown';

/**
 * The request's estimated monthly cost; for a change, first what it does to
 * the resource's cost, which is what an approver weighs.
 */
export function CostCard(props: {
  request: Pick<SelfServiceRequest, 'kind' | 'cost' | 'previousMonthlyCost'>;
}) {
  const { kind, cost, previousMonthlyCost } = props.request;
  const showDelta = kind === 'change' && previousMonthlyCost !== undefined;
  return (
    <InfoCard title={showDelta ? 'Cost after the change' : 'Cost'}>
      {showDelta && (
        <Box mb={2}>
          <Typography variant="subtitle2">Monthly cost difference</Typography>
          <Typography variant="body1" data-testid="cost-delta">
            {costDeltaText(
              previousMonthlyCost,
              cost.monthlyTotal,
              cost.currency,
            )}
          </Typography>
        </Box>
      )}
      <CostBreakdown cost={cost} />
    </InfoCard>
  );
}
