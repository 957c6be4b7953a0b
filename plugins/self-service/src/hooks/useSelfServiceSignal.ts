import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import { SELF_SERVICE_SIGNAL_CHANNEL } from '@internal/plugin-self-service-common';

/** What the backend publishes on the channel; only the id matters here. */
type RequestSignal = { requestId?: string; id?: string };

/**
 * Calls `onChange` whenever the backend signals a change to self-service
 * requests. With a `requestId`, signals that name another request are
 * ignored; a signal naming no request always counts.
 */
export function useSelfServiceSignal(
  onChange: () => void,
  requestId?: string,
): void {
  const { lastSignal } = useSignal<RequestSignal>(SELF_SERVICE_SIGNAL_CHANNEL);
  // Keeps the latest callback without re-running the effect for it.
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (!lastSignal) {
      return;
    }
    const named = lastSignal.requestId ?? lastSignal.id;
    if (requestId && named && named !== requestId) {
      return;
    }
    callback.current();
  }, [lastSignal, requestId]);
}
