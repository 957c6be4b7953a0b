export { SelfServiceSidebarItem } from './SelfServiceSidebarItem';
