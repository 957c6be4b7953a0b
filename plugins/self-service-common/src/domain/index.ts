/**
 * The product's pure rules, in one place for the store, the actions and the
 * frontend: who may decide a request and what a decision does, the budget
 * and quota limits, money formatting, and the states of each phase.
 */
export * from './approvals';
export * from './limits';
export * from './money';
export * from './phases';
