export { useInboxCount } from './useInboxCount';
