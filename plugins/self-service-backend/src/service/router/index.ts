import express from 'express';
import Router from 'express-promise-router';
import { decisionsRoutes } from './decisions';
import { estimateRoutes } from './estimate';
import { grantsRoutes } from './grants';
import { inboxRoutes } from './inbox';
import { requestsRoutes } from './requests';
import { teamsRoutes } from './teams';
import type { RouteDeps } from './types';

/**
 * The plugin's HTTP API, one module per resource. Errors are thrown as
 * `@backstage/errors` types and serialised by the backend's error middleware.
 * @internal
 */
export function createRouter(deps: RouteDeps): express.Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(requestsRoutes(deps));
  router.use(decisionsRoutes(deps));
  router.use(grantsRoutes(deps));
  router.use(teamsRoutes(deps));
  router.use(inboxRoutes(deps));
  router.use(estimateRoutes(deps));
  return router;
}
