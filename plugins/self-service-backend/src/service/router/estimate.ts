import { estimateBodySchema } from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import { parseTeamRef } from './teams';
import type { RouteDeps } from './types';
import { parseInput } from './validation';

/** `POST /estimate`: price a template's parameters, with the team's usage. @internal */
export function estimateRoutes(deps: RouteDeps) {
  const { reader, identity, estimator } = deps;
  const router = Router();

  router.post('/estimate', async (req, res) => {
    await identity.user(req);
    const body = parseInput(estimateBodySchema, req.body, 'body');
    const estimate = await estimator.estimate(body.templateRef, body.parameters);
    const usage = body.team
      ? await reader.usage(parseTeamRef(body.team, 'team'))
      : undefined;
    res.json(usage ? { ...estimate, usage } : estimate);
  });

  return router;
}
