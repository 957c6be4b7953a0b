export { SelfServiceTemplateCard } from './SelfServiceTemplateCard';
export { SelfServiceResourceCard } from './SelfServiceResourceCard';
