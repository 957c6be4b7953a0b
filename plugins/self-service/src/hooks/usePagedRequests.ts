import { useCallback, useEffect, useState } from 'react';
import type {
  Page,
  SelfServiceRequest,
} from '@internal/plugin-self-service-common';

type Fetcher = (cursor?: string) => Promise<Page<SelfServiceRequest>>;

type State = {
  items: SelfServiceRequest[];
  nextCursor?: string;
  loading: boolean;
  error?: Error;
};

/**
 * Loads a cursor-paginated list of requests: the first page on mount and when
 * `fetchPage` changes, further pages on `loadMore`, everything again on
 * `retry` (e.g. after a signal).
 */
export function usePagedRequests(fetchPage: Fetcher) {
  const [state, setState] = useState<State>({ items: [], loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setState(prev => ({ ...prev, loading: true }));
    fetchPage().then(
      page => {
        if (current) {
          setState({
            items: page.items,
            nextCursor: page.nextCursor,
            loading: false,
          });
        }
      },
      error => {
        if (current) {
          setState({ items: [], loading: false, error });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [fetchPage, generation]);

  const loadMore = useCallback(async () => {
    if (!state.nextCursor) {
      return;
    }
    setState(prev => ({ ...prev, loading: true }));
    try {
      const page = await fetchPage(state.nextCursor);
      setState(prev => ({
        items: [...prev.items, ...page.items],
        nextCursor: page.nextCursor,
        loading: false,
      }));
    } catch (error) {
      setState(prev => ({ ...prev, loading: false, error: error as Error }));
    }
  }, [fetchPage, state.nextCursor]);

  const retry = useCallback(() => setGeneration(g => g + 1), []);

  return {
    items: state.items,
    loading: state.loading,
    error: state.error,
    hasMore: Boolean(state.nextCursor),
    loadMore,
    retry,
  };
}
