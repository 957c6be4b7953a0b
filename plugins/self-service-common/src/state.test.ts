import {
  REQUEST_STATES,
  REQUEST_TRANSITIONS,
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isTerminalState,
  RequestState,
} from './state';

describe('request state machine', () => {
  const legal: Array<[RequestState, RequestState]> = [
    ['submitted', 'pending_approval'],
    ['submitted', 'approved'],
    ['submitted', 'denied'],
    ['pending_approval', 'approved'],
    ['pending_approval', 'rejected'],
    ['pending_approval', 'expired'],
    ['pending_approval', 'canceled'],
    ['approved', 'applying'],
    ['applying', 'succeeded'],
    ['applying', 'failed'],
    ['succeeded', 'destroying'],
    ['destroying', 'destroyed'],
    ['destroying', 'succeeded'],
  ];

  it.each(legal)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  const all = REQUEST_STATES.flatMap(from =>
    REQUEST_STATES.map(to => [from, to] as [RequestState, RequestState]),
  );
  const illegal = all.filter(([f, t]) => !REQUEST_TRANSITIONS[f].includes(t));

  it('refuses every transition not in the table', () => {
    expect(illegal.length).toBeGreaterThan(100);
    for (const [from, to] of illegal) {
      expect(canTransition(from, to)).toBe(false);
      expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
    }
  });

  it.each([
    ['pending_approval', 'succeeded'],
    ['rejected', 'approved'],
    ['denied', 'pending_approval'],
    ['succeeded', 'succeeded'],
    ['approved', 'pending_approval'],
  ] as Array<[RequestState, RequestState]>)(
    'refuses the shortcut %s -> %s',
    (from, to) => {
      expect(() => assertTransition(from, to)).toThrow(
        `Illegal request state transition from '${from}' to '${to}'`,
      );
    },
  );

  it('knows which states are terminal', () => {
    expect(REQUEST_STATES.filter(s => isTerminalState(s)).sort()).toEqual([
      'canceled',
      'denied',
      'destroyed',
      'expired',
      'failed',
      'rejected',
    ]);
  });

  it('lets every state be reached from submitted', () => {
    const seen = new Set<RequestState>(['submitted']);
    const queue: RequestState[] = ['submitted'];
    while (queue.length) {
      for (const next of REQUEST_TRANSITIONS[queue.shift()!]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...REQUEST_STATES].sort());
  });
});
