/**
 * The request lifecycle. This table is the single source of truth: the store
 * refuses any state change that is not listed here (compare-and-set on the
 * expected `from` state), and the UI derives its labels from it.
 */

/** @public */
export const REQUEST_STATES = [
  'submitted',
  'pending_approval',
  'approved',
  'applying',
  'succeeded',
  'failed',
  'denied',
  'rejected',
  'expired',
  'canceled',
  'destroying',
  'destroyed',
] as const;

/** @public */
export type RequestState = (typeof REQUEST_STATES)[number];

/** @public */
export const REQUEST_TRANSITIONS: Readonly<
  Record<RequestState, readonly RequestState[]>
> = {
  submitted: ['pending_approval', 'approved', 'denied'],
  pending_approval: ['approved', 'rejected', 'expired', 'canceled'],
  // An approved request whose grant expires before the apply phase starts
  // goes to expired, which releases its reservation.
  approved: ['applying', 'expired', 'failed'],
  applying: ['succeeded', 'failed'],
  succeeded: ['destroying'],
  failed: [],
  denied: [],
  rejected: [],
  expired: [],
  canceled: [],
  // A tear-down that could not start or failed leaves the resource in
  // place: it returns to succeeded, still live usage, and can be retried.
  destroying: ['destroyed', 'succeeded'],
  destroyed: [],
};

/** States in which a request holds a budget and quota reservation. @public */
export const RESERVING_STATES: readonly RequestState[] = [
  'pending_approval',
  'approved',
  'applying',
];

/** States in which a request's resource exists and counts as live usage. @public */
export const LIVE_STATES: readonly RequestState[] = ['succeeded', 'destroying'];

/** @public */
export function isRequestState(value: unknown): value is RequestState {
  return (
    typeof value === 'string' &&
    (REQUEST_STATES as readonly string[]).includes(value)
  );
}

/** @public */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

/** @public */
export function isTerminalState(state: RequestState): boolean {
  return REQUEST_TRANSITIONS[state].length === 0;
}

/**
 * Thrown when code asks for a transition the lifecycle does not allow.
 * @public
 */
export class IllegalTransitionError extends Error {
  readonly from: RequestState;
  readonly to: RequestState;
  constructor(from: RequestState, to: RequestState) {
    super(`Illegal request state transition from '${from}' to '${to}'`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
  }
}

/** @public */
export function assertTransition(from: RequestState, to: RequestState): void {
  if (!canTransition(from, to)) {
    throw new IllegalTransitionError(from, to);
  }
}
