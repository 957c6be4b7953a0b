import { useEffect } from 'react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useOwnTeams } from '../../hooks/useOwnTeams';
import { shortRef } from '../../utils/format';

/**
 * The owning team of a request: one of the signed-in user's own groups (the
 * group refs among their ownership refs), so nobody picks a team they are
 * not in and only learns it after the plan. The value is the group's entity
 * ref, as the built-in OwnerPicker stores it.
 */
export function TeamPickerField(props: FieldExtensionComponentProps<string>) {
  const {
    onChange,
    formData,
    schema,
    uiSchema,
    required,
    rawErrors,
    disabled,
    idSchema,
  } = props;
  const teams = useOwnTeams();
  const options = teams.value ?? [];
  const none = !teams.loading && !teams.error && options.length === 0;
  // A member of one team has nothing to choose.
  const only = options.length === 1 ? options[0] : undefined;
  useEffect(() => {
    if (only && !formData) onChange(only);
  }, [only, formData, onChange]);
  const helperText =
    (teams.error && `Could not read your teams: ${teams.error.message}`) ||
    (none &&
      'You are not a member of any team: ask a team to add you, then sign in again.') ||
    uiSchema?.['ui:help'] ||
    schema?.description;
  return (
    <Autocomplete
      id={idSchema?.$id}
      options={options}
      value={formData ?? null}
      loading={teams.loading}
      disabled={disabled || none}
      getOptionLabel={ref => shortRef(ref)}
      onChange={(_event, value) => onChange(value ?? undefined)}
      renderInput={params => (
        <TextField
          {...params}
          label={schema?.title ?? 'Team'}
          margin="dense"
          variant="outlined"
          required={required}
          error={Boolean(rawErrors?.length) || Boolean(teams.error)}
          helperText={helperText}
          FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
        />
      )}
    />
  );
}
