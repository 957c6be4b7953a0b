export { CostEstimateField } from './CostEstimateField';
export type { CostEstimateFieldOptions } from './estimateRequest';
