import Router from 'express-promise-router';
import { audited } from './audit';
import type { RouteDeps } from './types';
import { parseRequestId } from './validation';

/**
 * `DELETE /requests/:id`: deletes the record of a pending or rejected
 * request (204), keeping its events; 409 naming any other state, 403 for
 * anybody but the requester or an admin. Audited as request-delete.
 * @internal
 */
export function deleteRequestRoutes(deps: RouteDeps) {
  const { service, identity, auditor } = deps;
  const router = Router();

  router.delete('/requests/:id', async (req, res) => {
    await audited(
      auditor,
      {
        eventId: 'request-delete',
        request: req,
        meta: { requestId: req.params.id },
        successMeta: r => ({ state: r.state, requester: r.requester, team: r.team }),
      },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        return service.deleteRecord(id, caller);
      },
    );
    res.status(204).end();
  });

  return router;
}
