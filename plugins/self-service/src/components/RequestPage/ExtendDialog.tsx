import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ExtendResponse,
  ExtensionPolicy,
  SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import { selfServiceApiRef } from '../../api';
import { errorMessage } from '../../utils/errors';
import { extendedExpiry } from '../../utils/expiry';
import { formatDate, formatRelative } from '../../utils/format';
import { formatDays } from '../../utils/requestTitle';

/** What the form proposes first: a week, or less when only less is approved at once. */
const DEFAULT_DAYS = 7;

function defaultDays(policy?: ExtensionPolicy): number {
  if (!policy || policy.autoApproveDays < 1) return DEFAULT_DAYS;
  return Math.min(DEFAULT_DAYS, policy.autoApproveDays);
}

/** The environment's rule, and where the days typed fall in it. */
function policySentence(policy: ExtensionPolicy, days: number): string {
  const rule =
    policy.autoApproveDays > 0
      ? `Up to ${formatDays(policy.autoApproveDays)} is approved at once; longer extensions wait for the ${policy.stage} stage.`
      : `Every extension waits for the ${policy.stage} stage.`;
  const verdict =
    days <= policy.autoApproveDays
      ? 'This one is approved at once.'
      : `This one waits for the ${policy.stage} stage.`;
  return `${rule} ${verdict}`;
}

function parseDays(text: string, maxDays?: number): number | string {
  const days = Number(text);
  if (!text.trim() || !Number.isInteger(days) || days < 1) {
    return 'A whole number of days, at least 1';
  }
  if (maxDays !== undefined && days > maxDays) {
    return `At most ${formatDays(maxDays)} at once`;
  }
  return days;
}

/**
 * Asks for more time before a resource expires. It says, while the days are
 * typed, whether they are approved at once or wait for a stage and what the
 * new expiry would be; the backend decides the same way. A refusal stays in
 * the dialog with the server's message (e.g. "days: at most 30 days for
 * staging").
 */
export function ExtendDialog(props: {
  detail: SelfServiceRequestDetail;
  onClose: () => void;
  onExtended: (response: ExtendResponse) => void;
}) {
  const { detail, onClose, onExtended } = props;
  const policy = detail.extensionPolicy;
  const api = useApi(selfServiceApiRef);
  const [daysText, setDaysText] = useState(String(defaultDays(policy)));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const days = parseDays(daysText, policy?.maxDays);
  const invalid = typeof days === 'string' ? days : undefined;
  const newExpiry =
    typeof days === 'number'
      ? extendedExpiry(detail.expiresAt, days)
      : undefined;

  const submit = async () => {
    if (typeof days !== 'number') return;
    setBusy(true);
    setFailure(undefined);
    try {
      const trimmed = reason.trim();
      const response = await api.extend(detail.id, {
        days,
        ...(trimmed ? { reason: trimmed } : {}),
      });
      onExtended(response);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="extend-dialog-title"
    >
      <DialogTitle id="extend-dialog-title">Extend the expiry</DialogTitle>
      <DialogContent>
        {failure && (
          <Box mb={2}>
            <Alert severity="error" data-testid="extend-error">
              {failure}
            </Alert>
          </Box>
        )}
        <TextField
          id="extend-days"
          label="Days"
          type="number"
          variant="outlined"
          margin="dense"
          required
          value={daysText}
          onChange={e => setDaysText(e.target.value)}
          error={Boolean(invalid)}
          helperText={
            invalid ??
            (policy
              ? `At most ${formatDays(policy.maxDays)} at once`
              : undefined)
          }
          inputProps={{ min: 1, max: policy?.maxDays, step: 1 }}
        />
        {policy && typeof days === 'number' && (
          <Typography variant="body2" paragraph data-testid="extend-policy">
            {policySentence(policy, days)}
          </Typography>
        )}
        {newExpiry && (
          <Typography variant="body2" paragraph data-testid="extend-new-expiry">
            New expiry: {formatDate(newExpiry)} ({formatRelative(newExpiry)})
          </Typography>
        )}
        <TextField
          id="extend-reason"
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          label="Reason (optional)"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ maxLength: 1000 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={Boolean(invalid) || busy}
          onClick={submit}
        >
          Request extension
        </Button>
      </DialogActions>
    </Dialog>
  );
}
