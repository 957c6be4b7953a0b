/**
 * Node library for self-service infrastructure: the extension points through
 * which rules, cost sources and runners are added, the price book, and the
 * typed client the scaffolder actions use to talk to the backend plugin.
 *
 * @packageDocumentation
 */
export * from './client';
export * from './extensions';
export * from './guardrails';
export * from './pricing';
