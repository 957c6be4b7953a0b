import { parseEntityRef } from '@backstage/catalog-model';
import { LIVE_STATES, type ProvisionedResource } from '@internal/plugin-self-service-common';
import type { Knex } from 'knex';
import { rowToRequest } from './rows';
import type { RequestRow } from './tables';

function templateName(templateRef: string): string {
  try {
    return parseEntityRef(templateRef, { defaultKind: 'template' }).name;
  } catch {
    return templateRef;
  }
}

/** A live request as the catalog sees it: no parameters, costs or people. @internal */
export function toProvisionedResource(row: RequestRow): ProvisionedResource {
  const request = rowToRequest(row);
  const template = templateName(request.templateRef);
  const resource: ProvisionedResource = {
    requestId: request.id,
    templateRef: request.templateRef,
    type: request.category ?? template,
    name: request.resourceName ?? request.id.slice(0, 8),
    team: request.team,
    environment: request.environment,
    tags: [...new Set([request.category, template].filter((t): t is string => !!t))],
    outputs: request.outputs ?? {},
  };
  if (request.expiresAt) resource.expiresAt = request.expiresAt;
  if (request.planSummary?.simulated) resource.simulated = true;
  return resource;
}

/**
 * Every request whose resource exists (succeeded, or being destroyed), oldest
 * first. The catalog replaces its Resource entities with this list, so it is
 * the whole set, not a page. With `requestId`, that request's resource only
 * (none when it is not live): what the catalog reads after a change.
 * @internal
 */
export async function listLiveResources(
  db: Knex,
  requestId?: string,
): Promise<ProvisionedResource[]> {
  // Changes and extensions concern a resource; they are not one.
  const query = db<RequestRow>('requests')
    .whereIn('state', LIVE_STATES as string[])
    .where('kind', 'provision');
  if (requestId) query.where('id', requestId);
  const rows = await query.orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toProvisionedResource);
}
