export { transformSelfServiceFormErrors } from './transformErrors';
