import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import { templateApprovers } from './templateApprovals';
import { formatRange, usePriceRange } from './usePriceRange';

function PriceRangeView() {
  const { entity } = useEntity();
  const range = usePriceRange(entity);
  if (range.loading) {
    return <Progress />;
  }
  const value = range.value;
  if (!value || value.source === 'none') {
    return (
      <Typography variant="body2">
        No price range: the template's options cannot be estimated and it has no
        self-service.io/price-range annotation.
      </Typography>
    );
  }
  if (value.source === 'annotation') {
    return <Typography variant="h6">{value.text}</Typography>;
  }
  return (
    <>
      <Typography variant="h6">{formatRange(value)}</Typography>
      <Typography variant="caption" color="textSecondary">
        Estimated from the smallest and the largest options
        {value.unpriced ? '; some items are not priced' : ''}.
      </Typography>
    </>
  );
}

/** On a Template's page: who approves its requests and what it costs. */
export function SelfServiceTemplateCard() {
  const { entity } = useEntity();
  const approvers = templateApprovers(entity);
  return (
    <InfoCard title="Self-service">
      <Typography variant="subtitle2">Price range</Typography>
      <Box mb={2}>
        <PriceRangeView />
      </Box>
      <Typography variant="subtitle2">Approvals</Typography>
      {approvers.length === 0 ? (
        <Typography variant="body2">
          No approval stage is declared: requests within the guardrails are
          approved automatically (guardrails may still add stages, e.g. above a
          cost threshold).
        </Typography>
      ) : (
        <ul aria-label="Approvals" style={{ paddingLeft: 16, margin: 0 }}>
          {approvers.map((approver, index) => (
            <li key={`${approver.name}-${index}`}>
              <Typography variant="body2" component="div">
                <strong>{approver.name}</strong>
                {approver.when ? ` when ${approver.when}` : ''}:{' '}
                {approver.quorum > 1 ? `${approver.quorum} of ` : ''}
                <EntityRefLinks
                  entityRefs={approver.groups}
                  defaultKind="group"
                />
              </Typography>
              {approver.reason && (
                <Typography variant="caption" color="textSecondary">
                  {approver.reason}
                </Typography>
              )}
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
}
