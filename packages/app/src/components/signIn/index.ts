export { DevSignInPage } from './DevSignInPage';
export { SwitchUserSidebarItem } from './SwitchUserSidebarItem';
