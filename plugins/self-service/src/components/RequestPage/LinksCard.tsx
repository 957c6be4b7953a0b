import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link } from '@backstage/core-components';
import {
  LIVE_STATES,
  type SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import { RegisteredResources } from './RegisteredResources';

function Registered(props: {
  detail: SelfServiceRequestDetail;
  provisioned: boolean;
}) {
  const { detail, provisioned } = props;
  if (detail.kind === 'change') {
    // A change updates its resource's entity; it registers none of its own.
    return (
      <Typography variant="body2">
        None of its own: an applied change updates the resource of the request
        it changes.
      </Typography>
    );
  }
  if (!provisioned) {
    return (
      <Typography variant="body2">
        Registered in the catalog once the request has been applied
        successfully.
      </Typography>
    );
  }
  return (
    <RegisteredResources
      requestId={detail.id}
      reportedRefs={detail.resourceRefs}
    />
  );
}

/** The scaffolder runs behind the request and, once provisioned, its resources. */
export function LinksCard(props: { detail: SelfServiceRequestDetail }) {
  const { taskIds, state } = props.detail;
  const provisioned = LIVE_STATES.includes(state) || state === 'destroyed';
  return (
    <InfoCard title="Runs and resources">
      <Typography variant="subtitle2">Scaffolder tasks</Typography>
      {taskIds.length === 0 ? (
        <Typography variant="body2">None yet.</Typography>
      ) : (
        <ul aria-label="Scaffolder tasks">
          {taskIds.map(taskId => (
            <li key={taskId}>
              <Link to={`/create/tasks/${encodeURIComponent(taskId)}`}>
                {taskId}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Box mt={1}>
        <Typography variant="subtitle2">Registered resources</Typography>
        <Registered detail={props.detail} provisioned={provisioned} />
      </Box>
    </InfoCard>
  );
}
