import Chip from '@material-ui/core/Chip';
import type { Environment } from '@internal/plugin-self-service-common';

/** The target environment; production stands out. */
export function EnvironmentChip(props: { environment: Environment }) {
  return (
    <Chip
      size="small"
      label={props.environment}
      color={props.environment === 'production' ? 'secondary' : 'default'}
      variant="outlined"
    />
  );
}
