import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The self-service page (mounted by the app, e.g. at /self-service).
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'self-service' });

/**
 * A request's page, under the self-service page.
 * @public
 */
export const requestRouteRef = createSubRouteRef({
  id: 'self-service/request',
  parent: rootRouteRef,
  path: '/requests/:id',
});
