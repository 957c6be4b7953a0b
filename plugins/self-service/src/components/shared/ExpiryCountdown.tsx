import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatDateTime } from '../../utils/format';
import { expiryCountdown } from '../../utils/expiry';

/**
 * How long a resource has left: `Expires in 6 days · 9 Dec 2026`, in the
 * warning colour from three days before its expiry, so that its owners
 * extend it before the tear-down rather than after. The exact time is in
 * the tooltip.
 */
export function ExpiryCountdown(props: { expiresAt: string }) {
  const countdown = expiryCountdown(props.expiresAt);
  if (!countdown) {
    return <Typography variant="body2">Expires {props.expiresAt}</Typography>;
  }
  return (
    <Box
      component="span"
      color={countdown.soon ? 'warning.main' : undefined}
      fontWeight={countdown.soon ? 'fontWeightMedium' : undefined}
      title={formatDateTime(props.expiresAt)}
      data-testid="expiry-countdown"
      data-expiring-soon={countdown.soon ? 'true' : 'false'}
    >
      {countdown.text}
    </Box>
  );
}
