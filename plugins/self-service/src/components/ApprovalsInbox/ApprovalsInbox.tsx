import { useCallback, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { selfServiceApiRef } from '../../api';
import { usePagedRequests } from '../../hooks/usePagedRequests';
import { useSelfServiceSignal } from '../../hooks/useSelfServiceSignal';
import { LoadMore } from '../shared/LoadMore';
import { RequestsTable } from '../shared/RequestsTable';
import {
  InboxFilters,
  InboxFilterValues,
  NO_FILTERS,
  matchesFilters,
} from './InboxFilters';

const PAGE_SIZE = 50;

/** The requests the signed-in user may decide now, newest first. */
export function ApprovalsInbox() {
  const api = useApi(selfServiceApiRef);
  const fetchPage = useCallback(
    (cursor?: string) => api.getInbox({ limit: PAGE_SIZE, cursor }),
    [api],
  );
  const { items, loading, error, hasMore, loadMore, retry } =
    usePagedRequests(fetchPage);
  useSelfServiceSignal(retry);
  const [filters, setFilters] = useState<InboxFilterValues>(NO_FILTERS);

  const sorted = useMemo(
    () => [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [items],
  );
  const templates = useMemo(
    () => [...new Set(items.map(r => r.templateRef))].sort(),
    [items],
  );
  const visible = sorted.filter(r => matchesFilters(r, filters));

  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="Could not load your approvals inbox"
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
        title="Nothing is waiting for your decision"
        description="Requests you may approve or reject right now appear here: when a developer asks for infrastructure that needs the approval of a group you belong to (for example a production database or a request over the cost threshold), and its approval stage reaches your group."
      />
    );
  }
  return (
    <Box>
      <Box mb={2}>
        <InboxFilters
          value={filters}
          onChange={setFilters}
          templates={templates}
        />
      </Box>
      <RequestsTable
        title={`Waiting for your decision (${items.length}${hasMore ? '+' : ''})`}
        requests={visible}
        loading={loading}
        columns={[
          'template',
          'requester',
          'team',
          'environment',
          'cost',
          'age',
          'stage',
        ]}
        emptyContent={
          <Box p={2}>
            <Typography>No request matches these filters.</Typography>
          </Box>
        }
      />
      <LoadMore hasMore={hasMore} loading={loading} onClick={loadMore} />
    </Box>
  );
}
