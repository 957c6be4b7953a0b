import { InputError } from '@backstage/errors';
import {
  checkGrantBodySchema,
  type RedeemGrantResponse,
  redeemGrantBodySchema,
} from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import { audited } from './audit';
import type { RouteDeps } from './types';
import { parseInput } from './validation';

/**
 * `POST /grants/redeem`: the scaffolder's single-use apply permit.
 * `POST /grants/check`: the same claim checked without redeeming, which a
 * launched run makes before any Terraform command.
 * @internal
 */
export function grantsRoutes(deps: RouteDeps) {
  const { service, identity, auditor, grants } = deps;
  const router = Router();

  router.post('/grants/redeem', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'grant-redeem',
        request: req,
        meta: { requestId: typeof req.body?.requestId === 'string' ? req.body.requestId : null },
        successMeta: r => ({ grantId: r.grantId }),
      },
      async () => {
        const actor = await identity.scaffolder(req);
        const body = parseInput(redeemGrantBodySchema, req.body, 'body');
        // Every grant has a token; the schema keeps it optional only for
        // older callers, so its absence is a clear 400 here.
        if (!body.token) {
          throw new InputError('Invalid body: token: a grant token is required');
        }
        return service.redeem({ ...body, token: body.token }, actor);
      },
    );
    const response: RedeemGrantResponse = { redeemed: true, grantId: result.grantId };
    res.json(response);
  });

  router.post('/grants/check', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'grant-check',
        request: req,
        meta: {
          requestId: typeof req.body?.requestId === 'string' ? req.body.requestId : null,
          taskId: typeof req.body?.taskId === 'string' ? req.body.taskId : null,
          purpose: typeof req.body?.purpose === 'string' ? req.body.purpose : 'apply',
        },
        successMeta: r => ({ grantId: r.grantId, checked: r.checked }),
      },
      async () => {
        await identity.scaffolder(req);
        const body = parseInput(checkGrantBodySchema, req.body, 'body');
        return grants.check(body);
      },
    );
    res.json(result);
  });

  return router;
}
