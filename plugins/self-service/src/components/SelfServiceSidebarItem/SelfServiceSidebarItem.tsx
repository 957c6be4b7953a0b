import { useMemo } from 'react';
import Badge from '@material-ui/core/Badge';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useInboxCount } from '../../hooks/useInboxCount';
import { rootRouteRef } from '../../routes';

/**
 * The sidebar entry of the self-service page, with a badge counting the
 * requests waiting for the signed-in user's decision.
 * @public
 */
export function SelfServiceSidebarItem(props: { text?: string }) {
  const { text = 'Self-service' } = props;
  const to = useRouteRef(rootRouteRef)();
  const { count, more } = useInboxCount();
  const label = more ? `${count}+` : String(count);
  // A stable component per count, so the sidebar does not remount the icon.
  const Icon = useMemo(
    () => () => (
      <Badge
        badgeContent={count > 0 ? label : undefined}
        color="secondary"
        overlap="rectangular"
        invisible={count === 0}
        aria-label={
          count > 0
            ? `${label} ${count === 1 && !more ? 'request' : 'requests'} waiting for your decision`
            : undefined
        }
      >
        <AssignmentTurnedInIcon />
      </Badge>
    ),
    [count, label, more],
  );
  return (
    <SidebarItem icon={Icon} to={to} text={text} hasNotifications={count > 0} />
  );
}
