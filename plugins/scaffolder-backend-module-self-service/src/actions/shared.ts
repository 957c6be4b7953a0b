import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Environment,
  environmentSchema,
  SELF_SERVICE_CHANGE_OPERATION,
  SELF_SERVICE_DESTROY_OPERATION,
} from '@internal/plugin-self-service-common';
import type { PriceBook } from '@internal/plugin-self-service-node';

/** Where the actions get the price book from (a `PriceBookLoader` in production). @public */
export interface PriceBookSource {
  load(): Promise<PriceBook>;
}

/** `team-a` or `group:default/team-a` -> `group:default/team-a`. */
export function normalizeTeamRef(team: unknown): string {
  if (typeof team !== 'string' || !team.trim()) {
    throw new InputError(
      'team must be a group entity ref such as group:default/team-a',
    );
  }
  try {
    const ref = parseEntityRef(team.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group')
      throw new Error('not a group');
    return stringifyEntityRef(ref);
  } catch {
    throw new InputError(
      `team ${JSON.stringify(team)} is not a group entity ref such as group:default/team-a`,
    );
  }
}

export function parseEnvironment(value: unknown): Environment {
  const result = environmentSchema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `environment must be one of ${environmentSchema.options.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return result.data;
}

/** The running template's entity ref; `template` (a name) is the fallback for tests and dry runs. */
export function templateRefOf(
  ctx: { templateInfo?: { entityRef: string } },
  template?: string,
): string {
  const ref =
    ctx.templateInfo?.entityRef ??
    (template ? `template:default/${template}` : undefined);
  if (!ref)
    throw new InputError(
      'the running template is unknown: give the `template` input',
    );
  return ref;
}

/** What a run the backend launched is for. */
export type LaunchedOperation = 'apply' | 'destroy' | 'change';

/**
 * The task's secrets set by the backend when it launches an approved
 * request (operation 'apply'), the tear-down of a succeeded one
 * ('destroy') or a day-2 change of one ('change': `requestId` is then the
 * resource being changed and `token` the change ticket, not a grant).
 */
export function launchedGrant(secrets: Record<string, string> | undefined) {
  const requestId = secrets?.selfServiceRequestId;
  const token = secrets?.selfServiceGrantToken;
  const secret = secrets?.selfServiceOperation;
  let operation: LaunchedOperation = 'apply';
  if (secret === SELF_SERVICE_DESTROY_OPERATION) operation = 'destroy';
  else if (secret === SELF_SERVICE_CHANGE_OPERATION) operation = 'change';
  return requestId ? { requestId, token, operation } : undefined;
}
