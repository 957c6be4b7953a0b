import { useCallback, useEffect, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { selfServiceApiRef } from '../../api';
import { useOwnTeams } from '../../hooks/useOwnTeams';
import { usePagedRequests } from '../../hooks/usePagedRequests';
import { useSelfServiceSignal } from '../../hooks/useSelfServiceSignal';
import { shortRef } from '../../utils/format';
import { LoadMore } from '../shared/LoadMore';
import { RequestsTable } from '../shared/RequestsTable';
import { TeamUsageCard } from './TeamUsageCard';

const PAGE_SIZE = 50;

function TeamResourceList(props: { teamRef: string }) {
  const api = useApi(selfServiceApiRef);
  const fetchPage = useCallback(
    (cursor?: string) =>
      api.listRequests({
        state: 'succeeded',
        team: props.teamRef,
        limit: PAGE_SIZE,
        cursor,
      }),
    [api, props.teamRef],
  );
  const { items, loading, error, hasMore, loadMore, retry } =
    usePagedRequests(fetchPage);
  useSelfServiceSignal(retry);

  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="Could not load the team's resources"
      />
    );
  }
  if (loading && items.length === 0) {
    return <Progress />;
  }
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={`${shortRef(props.teamRef)} has no provisioned resources yet`}
        description="Resources appear here once a request of your team has been applied successfully; each links to its catalog entry and the request that created it."
      />
    );
  }
  return (
    <>
      <RequestsTable
        title={`Resources of ${shortRef(props.teamRef)}`}
        requests={items}
        loading={loading}
        columns={[
          'template',
          'resources',
          'environment',
          'requester',
          'cost',
          'expires',
        ]}
        emptyContent={null}
      />
      <LoadMore hasMore={hasMore} loading={loading} onClick={loadMore} />
    </>
  );
}

/**
 * The provisioned resources and the usage of the signed-in user's team,
 * with a choice of team for people in several.
 */
export function TeamResources() {
  const teams = useOwnTeams();
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    if (!selected && teams.value?.length) {
      setSelected(teams.value[0]);
    }
  }, [selected, teams.value]);

  if (teams.error) {
    return (
      <ResponseErrorPanel
        error={teams.error}
        title="Could not read your teams"
      />
    );
  }
  if (teams.loading) {
    return <Progress />;
  }
  if (!teams.value?.length || !selected) {
    return (
      <EmptyState
        missing="info"
        title="You are not a member of a team"
        description="Team resources, budget and quota are shown for the groups you belong to in the catalog. Ask your platform team to add you to your team's Group."
      />
    );
  }
  return (
    <Grid container spacing={3}>
      {teams.value.length > 1 && (
        <Grid item xs={12} sm={6} md={4}>
          <TextField
            select
            fullWidth
            variant="outlined"
            size="small"
            id="self-service-team"
            label="Team"
            value={selected}
            onChange={e => setSelected(e.target.value)}
          >
            {teams.value.map(ref => (
              <MenuItem key={ref} value={ref}>
                {shortRef(ref)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      )}
      <Grid item xs={12} md={4}>
        <TeamUsageCard teamRef={selected} />
      </Grid>
      <Grid item xs={12} md={8}>
        <TeamResourceList teamRef={selected} />
      </Grid>
    </Grid>
  );
}
