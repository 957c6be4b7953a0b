import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useNavigate } from 'react-router-dom';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { selfServiceApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { errorMessage } from '../../utils/errors';
import { DecisionDialog } from './DecisionDialog';
import { WhyNoDecision } from './WhyNoDecision';

type Action = 'approve' | 'reject' | 'cancel' | 'destroy' | 'delete';

const DIALOGS: Record<
  Action,
  {
    title: string;
    description: string;
    confirmLabel: string;
    commentLabel: string;
  }
> = {
  approve: {
    title: 'Approve this request',
    description:
      'Your approval counts towards the quorum of the current stage. Once every stage is approved, the approved plan is applied.',
    confirmLabel: 'Approve',
    commentLabel: 'Comment (optional)',
  },
  reject: {
    title: 'Reject this request',
    description:
      'A rejection ends the request and releases its reserved budget. The requester reads your reason.',
    confirmLabel: 'Reject',
    commentLabel: 'Reason',
  },
  cancel: {
    title: 'Withdraw this request',
    description:
      'The request stops waiting for approval and its reserved budget and quota are released.',
    confirmLabel: 'Withdraw request',
    commentLabel: '',
  },
  destroy: {
    title: 'Destroy the provisioned resources',
    description:
      "The same template runs again to tear the resources down with Terraform. This cannot be undone; the team's budget and quota are released once they are destroyed.",
    confirmLabel: 'Destroy',
    commentLabel: 'Reason (optional)',
  },
  delete: {
    title: 'Delete this request',
    description:
      'The request disappears from the lists and any reserved budget and quota are released. Its audit log is kept.',
    confirmLabel: 'Delete request',
    commentLabel: '',
  },
};

/**
 * Approve and Reject for someone who may decide now, Cancel for the requester
 * of a pending request, Destroy for the requester or team of a provisioned
 * one. Refusals show the server's message.
 */
export function RequestActions(props: {
  detail: SelfServiceRequestDetail;
  onChanged: (detail: SelfServiceRequestDetail) => void;
}) {
  const { detail, onChanged } = props;
  const api = useApi(selfServiceApiRef);
  const [open, setOpen] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const navigate = useNavigate();
  const root = useRouteRef(rootRouteRef);

  if (
    !detail.canDecide &&
    !detail.canCancel &&
    !detail.canDestroy &&
    !detail.canDelete
  ) {
    return <WhyNoDecision detail={detail} />;
  }

  const run = async (action: Action, comment: string) => {
    setBusy(true);
    setFailure(undefined);
    try {
      let updated: SelfServiceRequestDetail;
      if (action === 'delete') {
        await api.deleteRequest(detail.id);
        setOpen(undefined);
        navigate(root());
        return;
      }
      if (action === 'cancel') {
        updated = await api.cancel(detail.id);
      } else if (action === 'destroy') {
        updated = await api.destroy(
          detail.id,
          comment.trim() ? { reason: comment.trim() } : {},
        );
      } else {
        updated = await api.decide(detail.id, {
          decision: action,
          ...(comment ? { comment } : {}),
        });
      }
      setOpen(undefined);
      onChanged(updated);
    } catch (error) {
      setOpen(undefined);
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <WhyNoDecision detail={detail} />
      {failure && (
        <Box mb={2}>
          <Alert severity="error" onClose={() => setFailure(undefined)}>
            {failure}
          </Alert>
        </Box>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {detail.canDecide && (
          <>
            <Button
              variant="contained"
              color="primary"
              onClick={() => setOpen('approve')}
            >
              Approve
            </Button>
            <Button
              variant="outlined"
              color="secondary"
              onClick={() => setOpen('reject')}
            >
              Reject
            </Button>
          </>
        )}
        {detail.canCancel && (
          <Button variant="outlined" onClick={() => setOpen('cancel')}>
            Cancel request
          </Button>
        )}
        {detail.canDelete && (
          <Button variant="outlined" onClick={() => setOpen('delete')}>
            Delete
          </Button>
        )}
        {detail.canDestroy && (
          <Button
            variant="outlined"
            color="secondary"
            onClick={() => setOpen('destroy')}
          >
            Destroy
          </Button>
        )}
      </Box>
      {open && (
        <DecisionDialog
          open
          {...DIALOGS[open]}
          commentRequired={open === 'reject'}
          withComment={open !== 'cancel' && open !== 'delete'}
          busy={busy}
          onClose={() => setOpen(undefined)}
          onConfirm={comment => run(open, comment)}
        />
      )}
    </Box>
  );
}
