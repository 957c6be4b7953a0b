export { checkTemplate, TEMPLATE_PROBLEM_CODES } from './checkTemplate';
export type {
  TemplateProblem,
  TemplateProblemCode,
  TemplateSpecLike,
  TemplateStepLike,
} from './checkTemplate';
