import { InfoCard } from '@backstage/core-components';
import type { CostEstimate } from '@internal/plugin-self-service-common';
import { CostBreakdown } from '../shared/CostBreakdown';

/** The request's estimated monthly cost. */
export function CostCard(props: { cost: CostEstimate }) {
  return (
    <InfoCard title="Cost">
      <CostBreakdown cost={props.cost} />
    </InfoCard>
  );
}
