import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { InfoCard } from '@backstage/core-components';
import type {
  AttributeChange,
  PlanAction,
  PlanSummary,
  ResourceChangeSummary,
} from '@internal/plugin-self-service-common';
import { formatValue } from '../../utils/format';
import { PlanNotices, ResourceNotes } from './PlanNotices';

const GROUPS: Array<{ action: PlanAction; title: string }> = [
  { action: 'create', title: 'Create' },
  { action: 'update', title: 'Update in place' },
  { action: 'replace', title: 'Replace (destroy and re-create)' },
  { action: 'delete', title: 'Delete' },
  { action: 'import', title: 'Import (existing objects, no change)' },
  { action: 'forget', title: 'Forget (removed from state, not destroyed)' },
];

function shown(change: AttributeChange, side: 'before' | 'after'): string {
  // The backend already swaps sensitive values for a marker; never print
  // whatever else might arrive for a sensitive attribute.
  if (change.sensitive) return '(sensitive)';
  if (side === 'after' && change.afterUnknown) return '(known after apply)';
  const value = change[side];
  return value === undefined ? '' : formatValue(value);
}

function ChangeLine(props: { change: AttributeChange; action: PlanAction }) {
  const { change, action } = props;
  const before = shown(change, 'before');
  const after = shown(change, 'after');
  let text = `${before} → ${after}`;
  if (action === 'create' || !before) text = after;
  else if (action === 'delete' || !after) text = before;
  return (
    <Box component="li" style={{ wordBreak: 'break-word' }}>
      <Typography
        variant="body2"
        component="span"
        style={{ fontFamily: 'monospace' }}
      >
        {change.path} = {text}
      </Typography>
    </Box>
  );
}

/**
 * One resource: its address and how many attributes change, the attribute
 * lines folded away until opened (a database alone has dozens).
 */
function ResourceChange(props: { resource: ResourceChangeSummary }) {
  const { resource } = props;
  const count = resource.changes.length;
  const address = (
    <Typography
      variant="body2"
      style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
    >
      {resource.address} <ResourceNotes resource={resource} />
    </Typography>
  );
  if (count === 0) {
    return <Box py={1}>{address}</Box>;
  }
  return (
    <Accordion
      variant="outlined"
      square
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-label={`${resource.address}: ${count} attribute ${count === 1 ? 'change' : 'changes'}`}
      >
        <Box
          display="flex"
          alignItems="baseline"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          {address}
          <Typography variant="caption" color="textSecondary">
            {count} {count === 1 ? 'attribute' : 'attributes'}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <ul
          aria-label={`Changes of ${resource.address}`}
          style={{ margin: 0, paddingLeft: 16 }}
        >
          {resource.changes.map(change => (
            <ChangeLine
              key={change.path}
              change={change}
              action={resource.action}
            />
          ))}
        </ul>
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * What Terraform will do: the counts first, then the resources grouped by
 * create / update / replace / delete, each resource's attribute changes
 * folded under it. Sensitive values stay redacted.
 */
export function PlanSummaryCard(props: { plan?: PlanSummary }) {
  const { plan } = props;
  if (!plan) {
    return (
      <InfoCard title="Plan">
        <Typography variant="body2">
          This request has no Terraform plan yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title="Plan"
      subheader={plan.terraformVersion && `Terraform ${plan.terraformVersion}`}
    >
      <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 8 }}>
        {GROUPS.map(({ action }) => {
          const count = plan.counts[action as keyof PlanSummary['counts']];
          // import and forget only when the plan has them, as Terraform counts
          if (count === undefined) return null;
          return (
            <Chip
              key={action}
              size="small"
              variant="outlined"
              label={`${count} to ${action}`}
            />
          );
        })}
      </Box>
      <PlanNotices plan={plan} />
      {GROUPS.map(({ action, title }) => {
        const resources = plan.resources.filter(
          r =>
            r.action === action ||
            // a resource only moved: shown with the updates, "moved from …"
            (action === 'update' && r.action === 'no-op' && r.previousAddress),
        );
        if (resources.length === 0) return null;
        return (
          <Box key={action} mb={2} component="section" aria-label={title}>
            <Typography variant="subtitle1" gutterBottom>
              {title} ({resources.length})
            </Typography>
            {resources.map(resource => (
              <ResourceChange key={resource.address} resource={resource} />
            ))}
          </Box>
        );
      })}
      {plan.drift.length > 0 && (
        <Box component="section" aria-label="Drift">
          <Typography variant="subtitle1" gutterBottom>
            Changed outside Terraform (drift) ({plan.drift.length})
          </Typography>
          {plan.drift.map(resource => (
            <ResourceChange key={resource.address} resource={resource} />
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
