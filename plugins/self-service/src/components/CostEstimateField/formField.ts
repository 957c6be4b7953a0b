import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CostEstimateField } from './CostEstimateField';

/** The cost estimate field for the new frontend system's scaffolder. */
export const costEstimateFormField = createFormField({
  name: 'SelfServiceCostEstimate',
  component: CostEstimateField,
});
