import { pageQuerySchema } from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import type { RouteDeps } from './types';
import { parseInput } from './validation';

/** `GET /inbox`: requests the caller may decide now. @internal */
export function inboxRoutes(deps: RouteDeps) {
  const { reader, identity } = deps;
  const router = Router();

  router.get('/inbox', async (req, res) => {
    const caller = await identity.user(req);
    const query = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await reader.inbox(query, caller));
  });

  return router;
}
