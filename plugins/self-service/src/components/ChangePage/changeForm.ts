import type {
  FieldExtensionOptions,
  FormProps,
} from '@backstage/plugin-scaffolder-react';
import { CostEstimateField } from '../CostEstimateField';
import { TeamPickerField } from '../TeamPickerField';

/**
 * The plugin's own form fields, which the templates use: the change form is
 * rendered outside the scaffolder page, so it does not see the fields the
 * app registers there.
 */
export const changeFormFields: FieldExtensionOptions<any, any>[] = [
  { name: 'SelfServiceCostEstimate', component: CostEstimateField },
  { name: 'SelfServiceTeamPicker', component: TeamPickerField },
];

/**
 * A change keeps the resource's team and environment (the backend refuses
 * both: another team's budget or another environment's rules would apply),
 * so the form shows them without letting them be edited.
 */
export const changeFormUiSchema: NonNullable<FormProps['uiSchema']> = {
  team: { 'ui:disabled': true },
  environment: { 'ui:disabled': true },
};
