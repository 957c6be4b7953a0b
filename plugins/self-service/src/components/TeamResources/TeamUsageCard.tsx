import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { TeamUsage } from '@internal/plugin-self-service-common';
import { useRefetchableAsync } from '../../hooks/useRefetchableAsync';
import { selfServiceApiRef } from '../../api';
import { useSelfServiceSignal } from '../../hooks/useSelfServiceSignal';
import { formatMoney, shortRef } from '../../utils/format';

type Bucket = TeamUsage['budget'];

function percent(part: number, limit: number): number {
  if (limit <= 0) {
    return part > 0 ? 100 : 0;
  }
  return Math.min(100, Math.max(0, (part / limit) * 100));
}

/**
 * One limit as a bar: the solid part is live usage, the lighter buffer adds
 * what pending requests have reserved.
 */
function UsageBar(props: {
  label: string;
  bucket: Bucket;
  format: (n: number) => string;
}) {
  const { label, bucket, format } = props;
  const used = percent(bucket.live, bucket.limit);
  const withReserved = percent(bucket.live + bucket.reserved, bucket.limit);
  return (
    <Box mb={2}>
      <Box display="flex" justifyContent="space-between" flexWrap="wrap">
        <Typography variant="subtitle2">{label}</Typography>
        <Typography variant="body2">
          {format(bucket.remaining)} of {format(bucket.limit)} left
        </Typography>
      </Box>
      <LinearProgress
        variant="buffer"
        value={used}
        valueBuffer={withReserved}
        aria-label={`${label}: ${Math.round(withReserved)}% used or reserved`}
      />
      <Typography variant="caption" color="textSecondary">
        used {format(bucket.live)} · reserved {format(bucket.reserved)} ·
        remaining {format(bucket.remaining)}
      </Typography>
    </Box>
  );
}

/** Shows a team's usage figures. */
export function TeamUsageView(props: { usage: TeamUsage }) {
  const { usage } = props;
  return (
    <>
      <UsageBar
        label="Monthly budget"
        bucket={usage.budget}
        format={n => formatMoney(n, usage.currency)}
      />
      <UsageBar
        label="Resource quota"
        bucket={usage.quota}
        format={n => String(n)}
      />
    </>
  );
}

/** A team's monthly budget and resource quota: used, reserved, remaining. */
export function TeamUsageCard(props: { teamRef: string }) {
  const api = useApi(selfServiceApiRef);
  const { value, loading, error, retry } = useRefetchableAsync(
    () => api.getTeamUsage(props.teamRef),
    [api, props.teamRef],
  );
  useSelfServiceSignal(retry);

  return (
    <InfoCard title={`Usage of ${shortRef(props.teamRef)}`}>
      {error && (
        <ResponseErrorPanel
          error={error}
          title="Could not load the team's usage"
        />
      )}
      {!error && loading && !value && <Progress />}
      {!error && value && <TeamUsageView usage={value} />}
    </InfoCard>
  );
}
