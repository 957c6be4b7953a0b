import { SidebarItem } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import { forgetUser } from './devUserStorage';

/** Signs out and forgets the chosen example user, back to the picker. */
export const SwitchUserSidebarItem = () => {
  const identityApi = useApi(identityApiRef);
  return (
    <SidebarItem
      icon={SwapHorizIcon}
      text="Switch user"
      onClick={() => {
        forgetUser();
        identityApi.signOut();
      }}
    />
  );
};
