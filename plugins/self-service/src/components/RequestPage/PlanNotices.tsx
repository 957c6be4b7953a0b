import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  PlanSummary,
  ResourceChangeSummary,
} from '@internal/plugin-self-service-common';
import { formatValue } from '../../utils/format';

/**
 * What a resource line says besides its address: where a `moved` block
 * moved it from, and what an `import` block brings in.
 */
export function ResourceNotes(props: { resource: ResourceChangeSummary }) {
  const { resource } = props;
  const notes: string[] = [];
  if (resource.previousAddress)
    notes.push(`moved from ${resource.previousAddress}`);
  if (resource.importing) {
    notes.push(
      resource.importId
        ? `imported from existing object ${resource.importId}`
        : 'imported from an existing object',
    );
  }
  if (notes.length === 0) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
    >
      ({notes.join('; ')})
    </Typography>
  );
}

/**
 * Warnings and extra parts of a plan an approver must see before deciding:
 * an incomplete plan (changes Terraform deferred to a later plan) and the
 * provider actions an apply invokes.
 */
function invocationText(
  invocation: NonNullable<PlanSummary['actionInvocations']>[number],
): string {
  let text = invocation.address;
  if (invocation.triggeredBy)
    text += ` (${invocation.event ?? 'on'} ${invocation.triggeredBy})`;
  else if (invocation.event) text += ` (${invocation.event})`;
  const config = invocation.config.map(c => {
    let value = formatValue(c.after);
    if (c.sensitive) value = '(sensitive)';
    else if (c.afterUnknown) value = '(known after apply)';
    return `${c.path} = ${value}`;
  });
  return config.length ? `${text}: ${config.join(', ')}` : text;
}

export function PlanNotices(props: { plan: PlanSummary }) {
  const { plan } = props;
  const deferred = plan.deferred ?? [];
  const invocations = plan.actionInvocations ?? [];
  return (
    <>
      {(plan.complete === false || deferred.length > 0) && (
        <Box mb={2}>
          <Alert severity="warning" aria-label="Incomplete plan">
            <Typography variant="body2">
              This plan is incomplete: Terraform deferred{' '}
              {deferred.length === 1
                ? 'one change'
                : `${deferred.length} changes`}{' '}
              to a later plan, so applying it will not finish the change and
              another plan (and approval) will follow.
            </Typography>
            {deferred.length > 0 && (
              <ul aria-label="Deferred changes" style={{ margin: 0 }}>
                {deferred.map(d => (
                  <li key={`${d.address} ${d.action}`}>
                    <Typography
                      variant="body2"
                      component="span"
                      style={{ fontFamily: 'monospace' }}
                    >
                      {d.address}: {d.action} deferred ({d.reason})
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        </Box>
      )}
      {invocations.length > 0 && (
        <Box mb={2} component="section" aria-label="Actions to invoke">
          <Typography variant="subtitle1" gutterBottom>
            Provider actions to invoke ({invocations.length})
          </Typography>
          <ul style={{ margin: 0 }}>
            {invocations.map(a => (
              <li key={`${a.address} ${a.triggeredBy ?? ''} ${a.event ?? ''}`}>
                <Typography
                  variant="body2"
                  component="span"
                  style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
                >
                  {invocationText(a)}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </>
  );
}
