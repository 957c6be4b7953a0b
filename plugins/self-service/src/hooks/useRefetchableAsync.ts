import { type DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Loads a value like react-use's `useAsyncRetry`, except that `retry` always
 * fetches again. `useAsyncRetry` ignores a retry while a fetch is in flight,
 * so a signal arriving then (the request changed again while the page was
 * loading the previous change) would leave the page stale for good. Here
 * every retry starts a fetch, the newest call's answer wins, and the last
 * value stays on screen while the next one loads.
 */
export function useRefetchableAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
) {
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(fn, [...deps, generation]);
  const retry = useCallback(() => setGeneration(g => g + 1), []);
  return { ...state, retry };
}
