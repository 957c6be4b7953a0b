import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { type TeamUsage, usageAfter } from '@internal/plugin-self-service-common';
import { formatMoney, shortRef } from '../../utils/format';

/** How much of the team's monthly budget is left, and whether this fits. */
export function BudgetLine(props: { usage: TeamUsage; monthly: number }) {
  const { usage, monthly } = props;
  const money = (n: number) => formatMoney(n, usage.currency);
  // The same comparison the backend reserves with.
  const { budgetLeft: after, overBudget, overQuota } = usageAfter(usage, monthly);
  return (
    <Box mt={1}>
      <Typography variant="body2">
        Budget left for {shortRef(usage.team)}: {money(usage.budget.remaining)}{' '}
        of {money(usage.budget.limit)} per month
        {overBudget ? '.' : `; ${money(Math.max(0, after))} after this request.`}
      </Typography>
      {overQuota && (
        <Alert severity="error">
          The team has no resource quota left ({usage.quota.limit} in use or
          reserved); the request will be denied.
        </Alert>
      )}
      {overBudget && (
        <Alert severity="error">
          This exceeds the team's remaining budget by {money(-after)}; the
          request will be denied.
        </Alert>
      )}
    </Box>
  );
}
