import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import type { RouteDeps } from './types';
import { parseRequestId } from './validation';

/**
 * `GET /resources`: every provisioned resource, for the catalog's entity
 * provider only. Users read requests through the permission-checked API.
 * `?requestId=` narrows it to that request's resource (an empty list when it
 * is not live), so a change costs the catalog one row, not the whole set.
 * @internal
 */
export function resourcesRoutes(deps: RouteDeps) {
  const { reader, identity } = deps;
  const router = Router();

  router.get('/resources', async (req, res) => {
    await identity.catalog(req);
    const { requestId } = req.query;
    if (requestId !== undefined && typeof requestId !== 'string') {
      throw new InputError('requestId: give one request id');
    }
    res.json(
      await reader.resources(
        requestId === undefined ? undefined : parseRequestId(requestId, 'requestId'),
      ),
    );
  });

  return router;
}
