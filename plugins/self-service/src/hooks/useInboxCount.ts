import { useApi } from '@backstage/core-plugin-api';
import { useRefetchableAsync } from './useRefetchableAsync';
import { selfServiceApiRef } from '../api';
import { useSelfServiceSignal } from './useSelfServiceSignal';

/** How many inbox items the badge counts exactly before it shows `99+`. */
const INBOX_COUNT_LIMIT = 99;

/**
 * The number of requests the signed-in user may decide now, kept current
 * through signals. `more` is true when there are more than `count`.
 * @public
 */
export function useInboxCount(): {
  count: number;
  more: boolean;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(selfServiceApiRef);
  const { value, loading, error, retry } = useRefetchableAsync(
    () => api.getInbox({ limit: INBOX_COUNT_LIMIT }),
    [api],
  );
  useSelfServiceSignal(retry);
  return {
    count: value?.items.length ?? 0,
    more: Boolean(value?.nextCursor),
    loading,
    error,
  };
}
