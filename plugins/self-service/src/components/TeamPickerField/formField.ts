import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { TeamPickerField } from './TeamPickerField';

/** The team picker for the new frontend system's scaffolder. */
export const teamPickerFormField = createFormField({
  name: 'SelfServiceTeamPicker',
  component: TeamPickerField,
});
