import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { CostEstimate } from '@internal/plugin-self-service-common';
import { formatMoney } from '../../utils/format';

/**
 * A cost estimate: the monthly total, its priced lines and the items the
 * price book does not know (never counted as zero).
 */
export function CostBreakdown(props: { cost: CostEstimate; dense?: boolean }) {
  const { cost, dense } = props;
  const unpriced = new Set(cost.unpriced);
  const lines = cost.lines.filter(
    line => line.monthly !== null || !unpriced.has(line.item),
  );
  return (
    <Box>
      <Typography variant={dense ? 'h6' : 'h4'} component="p">
        {formatMoney(cost.monthlyTotal, cost.currency)}
        <Typography variant="body2" component="span" color="textSecondary">
          {' '}
          per month
          {cost.unpriced.length > 0 ? ' (priced items only)' : ''}
        </Typography>
      </Typography>
      {cost.deltaMonthly !== undefined && (
        <Typography variant="body2" color="textSecondary">
          Change against today: {cost.deltaMonthly >= 0 ? '+' : ''}
          {formatMoney(cost.deltaMonthly, cost.currency)} per month
        </Typography>
      )}
      {lines.length > 0 && (
        <Box style={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Cost breakdown">
            <TableHead>
              <TableRow>
                <TableCell>Item</TableCell>
                <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                  Monthly
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {/* One item can have several lines (instance hours, storage). */}
              {lines.map((line, index) => (
                <TableRow key={`${index}-${line.item}`}>
                  <TableCell style={{ wordBreak: 'break-word' }}>
                    {line.item}
                    {line.detail && (
                      <Typography
                        variant="caption"
                        display="block"
                        color="textSecondary"
                      >
                        {line.detail}
                      </Typography>
                    )}
                  </TableCell>
                  {/* Amounts never wrap mid-number on a narrow screen. */}
                  <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                    {line.monthly === null
                      ? 'not priced'
                      : formatMoney(line.monthly, cost.currency)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {cost.unpriced.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2">Not priced</Typography>
          <Typography variant="body2" color="textSecondary">
            The price book has no entry for these, so the total leaves them out:
          </Typography>
          <ul aria-label="Not priced">
            {cost.unpriced.map((item, index) => (
              <li key={`${index}-${item}`}>
                <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
                  {item}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
      {cost.priceBookVersion && (
        <Typography variant="caption" color="textSecondary">
          Price book {cost.priceBookVersion}
        </Typography>
      )}
    </Box>
  );
}
