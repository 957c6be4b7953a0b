import { InputError } from '@backstage/errors';
import { entityRefSchema } from '@internal/plugin-self-service-common';
import Router from 'express-promise-router';
import type { RouteDeps } from './types';

/** Team refs arrive url-encoded in the path; only group refs are teams. @internal */
export function parseTeamRef(raw: string, field = 'ref'): string {
  const result = entityRefSchema.safeParse(raw);
  if (!result.success || !raw.toLowerCase().startsWith('group:')) {
    throw new InputError(
      `${field}: '${raw.slice(0, 80)}' is not a group entity ref like group:default/team-a`,
    );
  }
  return raw.toLowerCase();
}

/**
 * `GET /teams/:ref/usage`: budget and quota, used, reserved and remaining;
 * for the team's members, its approvers and admins only.
 * @internal
 */
export function teamsRoutes(deps: RouteDeps) {
  const { reader, identity, teamAccess } = deps;
  const router = Router();

  router.get('/teams/:ref/usage', async (req, res) => {
    const caller = await identity.user(req);
    const team = parseTeamRef(req.params.ref);
    await teamAccess.assertMayRead(team, caller);
    res.json(await reader.usage(team));
  });

  return router;
}
