/**
 * Types, zod schemas, the request state machine and the permissions shared by
 * the self-service plugins.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './domain';
export * from './events';
export * from './permissions';
export * from './resources';
export * from './schemas';
export * from './state';
export * from './templateChecks';
export * from './types';
