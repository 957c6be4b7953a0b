import Router from 'express-promise-router';
import type { RouteDeps } from './types';

/**
 * `GET /resources`: every provisioned resource, for the catalog's entity
 * provider only. Users read requests through the permission-checked API.
 * @internal
 */
export function resourcesRoutes(deps: RouteDeps) {
  const { reader, identity } = deps;
  const router = Router();

  router.get('/resources', async (req, res) => {
    await identity.catalog(req);
    res.json(await reader.resources());
  });

  return router;
}
