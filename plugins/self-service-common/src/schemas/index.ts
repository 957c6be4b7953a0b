export * from './approval';
export * from './cost';
export * from './findings';
export * from './plan';
export * from './request';
export * from './policyRules';
export * from './outputs';
export * from './grantCheck';
