import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  environmentSchema,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';
import { shortRef } from '../../utils/format';

/** What the inbox is narrowed to. Empty strings mean "any". */
export type InboxFilterValues = {
  search: string;
  environment: string;
  template: string;
};

export const NO_FILTERS: InboxFilterValues = {
  search: '',
  environment: '',
  template: '',
};

/** True when the request passes every filter. */
export function matchesFilters(
  request: SelfServiceRequest,
  filters: InboxFilterValues,
): boolean {
  if (filters.environment && request.environment !== filters.environment) {
    return false;
  }
  if (filters.template && request.templateRef !== filters.template) {
    return false;
  }
  const needle = filters.search.trim().toLocaleLowerCase();
  if (!needle) {
    return true;
  }
  return [
    request.templateRef,
    request.requester,
    request.team,
    request.id,
    request.justification ?? '',
  ].some(text => text.toLocaleLowerCase().includes(needle));
}

/** Search box and selects above the inbox; they wrap on narrow screens. */
export function InboxFilters(props: {
  value: InboxFilterValues;
  onChange: (value: InboxFilterValues) => void;
  templates: string[];
}) {
  const { value, onChange, templates } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          id="self-service-inbox-search"
          label="Search"
          placeholder="Template, requester, team or id"
          value={value.search}
          onChange={e => onChange({ ...value, search: e.target.value })}
        />
      </Grid>
      <Grid item xs={6} md={3}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          id="self-service-inbox-environment"
          label="Environment"
          value={value.environment}
          onChange={e => onChange({ ...value, environment: e.target.value })}
        >
          <MenuItem value="">Any</MenuItem>
          {environmentSchema.options.map(env => (
            <MenuItem key={env} value={env}>
              {env}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={6} md={3}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          id="self-service-inbox-template"
          label="Template"
          value={value.template}
          onChange={e => onChange({ ...value, template: e.target.value })}
        >
          <MenuItem value="">Any</MenuItem>
          {templates.map(ref => (
            <MenuItem key={ref} value={ref}>
              {shortRef(ref)}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
    </Grid>
  );
}
