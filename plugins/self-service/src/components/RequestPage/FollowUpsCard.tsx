import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link } from '@backstage/core-components';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import { useRequestLink } from '../../hooks/useRequestLink';
import { formatRelative, shortRef } from '../../utils/format';
import { formatDays } from '../../utils/requestTitle';
import { StateChip } from '../shared/StateChip';

type FollowUp = NonNullable<SelfServiceRequestDetail['followUps']>[number];

function label(followUp: FollowUp): string {
  if (followUp.kind === 'extension') {
    const days = followUp.extension?.days;
    return days ? `Extension by ${formatDays(days)}` : 'Extension';
  }
  return 'Change';
}

/**
 * The changes and extensions asked for on this resource, newest first, each
 * linking to its own request: the resource's history after it was created.
 */
export function FollowUpsCard(props: {
  followUps: NonNullable<SelfServiceRequestDetail['followUps']>;
}) {
  const requestLink = useRequestLink();
  return (
    <InfoCard title="Changes and extensions">
      <ul
        aria-label="Changes and extensions"
        data-testid="follow-ups"
        style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}
      >
        {props.followUps.map(followUp => (
          <li key={followUp.id} data-testid="follow-up">
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              py={0.5}
              style={{ gap: 8 }}
            >
              <Link to={requestLink(followUp.id)}>{label(followUp)}</Link>
              <StateChip state={followUp.state} />
              <Typography variant="body2" color="textSecondary">
                by {shortRef(followUp.requester)},{' '}
                <span title={followUp.createdAt}>
                  {formatRelative(followUp.createdAt)}
                </span>
              </Typography>
            </Box>
          </li>
        ))}
      </ul>
    </InfoCard>
  );
}
