export {
  CostEstimateField,
  TEMPLATE_REF_CONTEXT_KEY,
} from './CostEstimateField';
export type { CostEstimateFieldOptions } from './estimateRequest';
