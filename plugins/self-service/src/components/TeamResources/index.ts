export { TeamResources } from './TeamResources';
export { TeamUsageCard } from './TeamUsageCard';
