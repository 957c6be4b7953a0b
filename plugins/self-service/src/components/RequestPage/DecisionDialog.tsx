import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';

/**
 * Asks for the comment of a decision. A rejection must say why, so its
 * confirm button stays disabled until the comment has text.
 */
export function DecisionDialog(props: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  commentLabel: string;
  commentRequired: boolean;
  /** False for actions that send no comment (cancel). */
  withComment?: boolean;
  busy: boolean;
  onClose: () => void;
  onConfirm: (comment: string) => void;
}) {
  const { open, withComment = true } = props;
  const [comment, setComment] = useState('');
  useEffect(() => {
    if (open) {
      setComment('');
    }
  }, [open]);
  const missing =
    withComment && props.commentRequired && comment.trim().length === 0;

  return (
    <Dialog open={open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{props.description}</DialogContentText>
        {withComment && (
          <TextField
            fullWidth
            multiline
            minRows={3}
            variant="outlined"
            label={props.commentLabel}
            required={props.commentRequired}
            value={comment}
            onChange={e => setComment(e.target.value)}
            inputProps={{ maxLength: 2000 }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Back</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={missing || props.busy}
          onClick={() => props.onConfirm(comment.trim())}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
