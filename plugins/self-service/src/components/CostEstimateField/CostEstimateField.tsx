import { useState } from 'react';
import { useParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { selfServiceApiRef } from '../../api';
import { errorMessage } from '../../utils/errors';
import { CostBreakdown } from '../shared/CostBreakdown';
import { BudgetLine } from './BudgetLine';
import { CostEstimateFieldOptions, estimateRequest } from './estimateRequest';

/** The form context key a form outside the scaffolder names its template with. */
export const TEMPLATE_REF_CONTEXT_KEY = 'selfServiceTemplateRef';

/** How long the form must be still before it is priced again. */
export const ESTIMATE_DEBOUNCE_MS = 300;

/**
 * The template's live cost estimate. It prices all the other values of the
 * form (read from `formContext.formData`) and never sets a value itself.
 */
export function CostEstimateField(
  props: FieldExtensionComponentProps<string, CostEstimateFieldOptions>,
) {
  const { uiSchema, formContext, name, schema } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const api = useApi(selfServiceApiRef);
  const routeParams = useParams();
  // Without ui:options.templateRef, the template being filled in: the
  // scaffolder's template route carries its namespace and name, and a form
  // outside that route (the change page) names it in the form context.
  const templateRef =
    options.templateRef ??
    (formContext?.[TEMPLATE_REF_CONTEXT_KEY] as string | undefined) ??
    (routeParams.templateName
      ? `template:${routeParams.namespace ?? 'default'}/${routeParams.templateName}`
      : undefined);

  const body = estimateRequest({
    templateRef,
    formData: (formContext?.formData ?? {}) as Record<string, unknown>,
    ownName: name,
    teamField: options.teamField,
  });
  const key = body ? JSON.stringify(body) : '';
  const [debouncedKey, setDebouncedKey] = useState<string>();
  useDebounce(() => setDebouncedKey(key), ESTIMATE_DEBOUNCE_MS, [key]);

  const estimate = useAsync(async () => {
    if (!debouncedKey) {
      return undefined;
    }
    return api.estimate(JSON.parse(debouncedKey));
  }, [api, debouncedKey]);

  const title = schema?.title ?? 'Estimated monthly cost';
  if (!templateRef) {
    return (
      <WarningPanel
        title="The cost estimate is not configured"
        message="Set ui:options.templateRef on this field to the Template's entity ref, e.g. template:default/postgres-database."
      />
    );
  }
  const pending = debouncedKey !== key || estimate.loading;
  return (
    <Paper variant="outlined" aria-label={title} role="region">
      <Box p={2}>
        <Typography variant="subtitle1">{title}</Typography>
        {pending && <LinearProgress aria-label="Estimating" />}
        {estimate.error && (
          <Typography variant="body2" color="error">
            No estimate yet: {errorMessage(estimate.error)}
          </Typography>
        )}
        {estimate.value && (
          <>
            <CostBreakdown cost={estimate.value} dense />
            {estimate.value.usage && (
              <BudgetLine
                usage={estimate.value.usage}
                monthly={estimate.value.monthlyTotal}
              />
            )}
          </>
        )}
        {schema?.description && (
          <Typography variant="caption" color="textSecondary">
            {schema.description}
          </Typography>
        )}
      </Box>
    </Paper>
  );
}
