import {
  changeRequestBodySchema,
  createRequestBodySchema,
  destroyRequestBodySchema,
  extendRequestBodySchema,
  listRequestsQuerySchema,
  reportStatusBodySchema,
} from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import { audited } from './audit';
import type { RouteDeps } from './types';
import { parseInput, parseRequestId } from './validation';

/** `/requests`: list, detail, record, withdraw, tear down, status reports. @internal */
export function requestsRoutes(deps: RouteDeps) {
  const { service, reader, identity, auditor } = deps;
  const router = Router();

  router.get('/requests', async (req, res) => {
    const caller = await identity.user(req);
    const query = parseInput(listRequestsQuerySchema, req.query, 'query');
    res.json(await reader.list(query, caller));
  });

  // Services read too: the apply step of a launched task runs as the scaffolder.
  router.get('/requests/:id', async (req, res) => {
    const caller = await identity.reader(req);
    const id = parseRequestId(req.params.id);
    res.json(await reader.detail(id, caller));
  });

  router.post('/requests', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'request-create',
        request: req,
        successMeta: r => ({
          requestId: r.request.id,
          state: r.request.state,
          created: r.created,
        }),
      },
      async () => {
        const caller = await identity.userViaScaffolder(req);
        const body = parseInput(createRequestBodySchema, req.body, 'body');
        return service.create(body, caller);
      },
    );
    const { created, ...response } = result;
    res.status(created ? 201 : 200).json(response);
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    const detail = await audited(
      auditor,
      { eventId: 'request-cancel', request: req, meta: { requestId: req.params.id } },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        await service.cancel(id, caller);
        return reader.detail(id, caller);
      },
    );
    res.json(detail);
  });

  router.post('/requests/:id/destroy', async (req, res) => {
    const detail = await audited(
      auditor,
      {
        eventId: 'request-destroy',
        request: req,
        meta: { requestId: req.params.id },
        successMeta: r => ({ state: r.state }),
      },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        const body = parseInput(destroyRequestBodySchema, req.body, 'body');
        await service.destroy(id, body, caller);
        return reader.detail(id, caller);
      },
    );
    res.json(detail);
  });

  // More time for a non-production resource: applied at once within the
  // environment's limit, else a request for the team leads.
  router.post('/requests/:id/extend', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'request-extend',
        request: req,
        meta: { requestId: req.params.id },
        successMeta: r => ({
          extensionId: r.extension.id,
          state: r.extension.state,
          days: r.extension.extension?.days,
        }),
      },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        const body = parseInput(extendRequestBodySchema, req.body, 'body');
        return service.extend(id, body, caller);
      },
    );
    res.status(201).json(result);
  });

  // A day-2 change: the backend starts the template's run (as the caller)
  // that plans the update and records the change request.
  router.post('/requests/:id/changes', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'request-change',
        request: req,
        meta: { requestId: req.params.id },
        successMeta: r => ({ taskId: r.taskId }),
      },
      async () => {
        const caller = await identity.user(req);
        const id = parseRequestId(req.params.id);
        const body = parseInput(changeRequestBodySchema, req.body, 'body');
        return service.startChange(id, body, caller);
      },
    );
    res.status(202).json(result);
  });

  router.post('/requests/:id/status', async (req, res) => {
    const request = await audited(
      auditor,
      { eventId: 'request-status', request: req, meta: { requestId: req.params.id } },
      async () => {
        const actor = await identity.scaffolder(req);
        const id = parseRequestId(req.params.id);
        const body = parseInput(reportStatusBodySchema, req.body, 'body');
        return service.reportStatus(id, body, actor);
      },
    );
    res.json(request);
  });

  return router;
}
