export * from './guardrails';
export * from './hashing';
export * from './terraformJson';
export * from './terraformRunner';
export * from './runRecord';
