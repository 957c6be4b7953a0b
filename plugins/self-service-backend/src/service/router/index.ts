import { InputError } from '@backstage/errors';
import express, { type NextFunction, type Request, type Response } from 'express';
import Router from 'express-promise-router';
import { decisionsRoutes } from './decisions';
import { deleteRequestRoutes } from './deleteRequest';
import { estimateRoutes } from './estimate';
import { grantsRoutes } from './grants';
import { inboxRoutes } from './inbox';
import { requestsRoutes } from './requests';
import { resourcesRoutes } from './resources';
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
  // A body that is not JSON is the caller's mistake: say so as a 400.
  router.use((error: any, _req: Request, _res: Response, next: NextFunction) => {
    next(
      error?.type === 'entity.parse.failed'
        ? new InputError(`Invalid body: not valid JSON (${error.message})`)
        : error,
    );
  });
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(requestsRoutes(deps));
  router.use(decisionsRoutes(deps));
  router.use(deleteRequestRoutes(deps));
  router.use(grantsRoutes(deps));
  router.use(teamsRoutes(deps));
  router.use(inboxRoutes(deps));
  router.use(estimateRoutes(deps));
  router.use(resourcesRoutes(deps));
  return router;
}
