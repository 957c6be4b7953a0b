import { useCallback } from 'react';
import Box from '@material-ui/core/Box';
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

const PAGE_SIZE = 50;

/** The signed-in user's own requests, in every state. */
export function MyRequests() {
  const api = useApi(selfServiceApiRef);
  const fetchPage = useCallback(
    (cursor?: string) =>
      api.listRequests({ mine: true, limit: PAGE_SIZE, cursor }),
    [api],
  );
  const { items, loading, error, hasMore, loadMore, retry } =
    usePagedRequests(fetchPage);
  useSelfServiceSignal(retry);

  if (error) {
    return (
      <ResponseErrorPanel error={error} title="Could not load your requests" />
    );
  }
  if (loading && items.length === 0) {
    return <Progress />;
  }
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="You have not requested anything yet"
        description="When you ask for infrastructure through a self-service template on the Create… page, the request appears here with its state, its cost and the approvals it waits for."
      />
    );
  }
  return (
    <Box>
      <RequestsTable
        title="My requests"
        requests={items}
        loading={loading}
        columns={[
          'template',
          'team',
          'environment',
          'state',
          'stage',
          'cost',
          'age',
        ]}
        emptyContent={null}
      />
      <LoadMore hasMore={hasMore} loading={loading} onClick={loadMore} />
    </Box>
  );
}
