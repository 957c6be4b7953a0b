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

/**
 * The form that starts a day-2 change of a request's resource.
 * @public
 */
export const changeRequestRouteRef = createSubRouteRef({
  id: 'self-service/request-change',
  parent: rootRouteRef,
  path: '/requests/:id/change',
});

/**
 * `?extend=1` on a request's page opens its Extend dialog on arrival (the
 * Resource card's Extend links there).
 * @internal
 */
export const EXTEND_QUERY_PARAM = 'extend';
