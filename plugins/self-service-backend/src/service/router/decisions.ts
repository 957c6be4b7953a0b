import { decisionBodySchema } from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import { audited } from './audit';
import type { RouteDeps } from './types';
import { parseInput, parseRequestId } from './validation';

/** `POST /requests/:id/decisions`: approve or reject. @internal */
export function decisionsRoutes(deps: RouteDeps) {
  const { service, reader, identity, auditor } = deps;
  const router = Router();

  router.post('/requests/:id/decisions', async (req, res) => {
    const detail = await audited(
      auditor,
      {
        eventId: 'request-decide',
        request: req,
        meta: { requestId: req.params.id },
        successMeta: d => ({ state: d.state }),
      },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        const body = parseInput(decisionBodySchema, req.body, 'body');
        await service.decide(id, body, caller);
        return reader.detail(id, caller);
      },
    );
    res.json(detail);
  });

  return router;
}
