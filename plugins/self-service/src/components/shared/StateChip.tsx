import Chip from '@material-ui/core/Chip';
import type { RequestState } from '@internal/plugin-self-service-common';
import { stateLabel } from '../../utils/format';

const COLORS: Partial<Record<RequestState, 'primary' | 'secondary'>> = {
  pending_approval: 'primary',
  approved: 'primary',
  applying: 'primary',
  succeeded: 'primary',
  failed: 'secondary',
  denied: 'secondary',
  rejected: 'secondary',
};

/** A request state as a small chip; variants keep it readable in dark mode. */
export function StateChip(props: { state: RequestState }) {
  const color = COLORS[props.state];
  return (
    <Chip
      size="small"
      label={stateLabel(props.state)}
      aria-label={`State: ${stateLabel(props.state)}`}
      color={color ?? 'default'}
      variant={props.state === 'succeeded' ? 'default' : 'outlined'}
    />
  );
}
