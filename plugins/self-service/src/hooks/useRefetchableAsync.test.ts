import { act, renderHook, waitFor } from '@testing-library/react';
import { useRefetchableAsync } from './useRefetchableAsync';

describe('useRefetchableAsync', () => {
  it('fetches again when retried while a fetch is still in flight, and shows the newest answer', async () => {
    const resolvers: Array<(value: string) => void> = [];
    const fetcher = jest.fn(
      () => new Promise<string>(resolve => resolvers.push(resolve)),
    );
    const { result } = renderHook(() => useRefetchableAsync(fetcher, []));
    await waitFor(() => expect(fetcher).toHaveBeenCalledTimes(1));
    act(() => resolvers[0]('applying'));
    await waitFor(() => expect(result.current.value).toBe('applying'));

    // A signal: refetch. Another signal while that fetch is in flight.
    act(() => result.current.retry());
    await waitFor(() => expect(fetcher).toHaveBeenCalledTimes(2));
    expect(result.current.loading).toBe(true);
    expect(result.current.value).toBe('applying'); // the last answer stays
    act(() => result.current.retry());
    await waitFor(() => expect(fetcher).toHaveBeenCalledTimes(3));

    // The older fetch answers last; the newest one's answer is what shows.
    act(() => resolvers[2]('succeeded'));
    act(() => resolvers[1]('applying, grant redeemed'));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.value).toBe('succeeded');
  });
});
