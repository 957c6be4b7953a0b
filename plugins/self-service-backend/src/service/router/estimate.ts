import { estimateBodySchema } from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import { parseTeamRef } from './teams';
import type { RouteDeps } from './types';
import { parseInput } from './validation';

/**
 * `POST /estimate`: price a template's parameters, with the team's usage
 * when a team is given (and the caller may read it, as for `/teams/:ref/usage`).
 * @internal
 */
export function estimateRoutes(deps: RouteDeps) {
  const { reader, identity, estimator, teamAccess } = deps;
  const router = Router();

  router.post('/estimate', async (req, res) => {
    const caller = await identity.user(req);
    const body = parseInput(estimateBodySchema, req.body, 'body');
    const team = body.team ? parseTeamRef(body.team, 'team') : undefined;
    // Refused before any pricing: the answer would carry the team's usage.
    if (team) await teamAccess.assertMayRead(team, caller, 'team');
    const estimate = await estimator.estimate(body.templateRef, body.parameters);
    const usage = team ? await reader.usage(team) : undefined;
    res.json(usage ? { ...estimate, usage } : estimate);
  });

  return router;
}
