import type { RequestState } from '../state';

/**
 * The two phases that run Terraform after a decision, and the states a
 * request is in while each runs and once it has run. The status sync, the
 * store and the pages read them from here.
 * @public
 */
export const PHASE_STATES = {
  apply: { running: 'applying', done: 'succeeded' },
  destroy: { running: 'destroying', done: 'destroyed' },
} as const satisfies Record<string, { running: RequestState; done: RequestState }>;

/** @public */
export type Phase = keyof typeof PHASE_STATES;

/** States in which a run is about to start or running: pages follow them live. @public */
export const IN_FLIGHT_STATES: readonly RequestState[] = [
  'approved',
  'applying',
  'destroying',
];
