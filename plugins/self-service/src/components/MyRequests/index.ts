export { MyRequests } from './MyRequests';
