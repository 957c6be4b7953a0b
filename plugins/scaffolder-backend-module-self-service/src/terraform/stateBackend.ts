import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { join } from 'node:path';
import type { TerraformConfig } from '../config';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Checks one path segment of a state key: no separators, no `..`, no empties. */
export function safeSegment(value: string, what: string): string {
  if (!SEGMENT.test(value) || value.includes('..')) {
    throw new InputError(
      `${what} ${JSON.stringify(value)} cannot key Terraform state: use letters, digits, dot, dash, underscore`,
    );
  }
  return value;
}

/** The short form of a team or template ref used in state keys and tags. */
export function refSegment(ref: string, defaultKind: string): string {
  const { namespace, name } = parseEntityRef(ref, {
    defaultKind,
    defaultNamespace: 'default',
  });
  return namespace === 'default' ? name : `${namespace}.${name}`;
}

export interface StateKey {
  team: string;
  template: string;
  requestKey: string;
}

/**
 * The backend type and `-backend-config` values for one request: a local
 * state file at `<stateDirectory>/<team>/<template>/<requestKey>/terraform.tfstate`
 * by default, or the configured backend with `{team}`, `{template}` and
 * `{requestKey}` substituted in its values (e.g. an s3 `key`).
 */
export function backendFor(
  config: Pick<TerraformConfig, 'stateDirectory' | 'backend'>,
  key: StateKey,
): { type: string; config: Record<string, string> } {
  const team = safeSegment(key.team, 'team');
  const template = safeSegment(key.template, 'template');
  const requestKey = safeSegment(key.requestKey, 'requestKey');
  if (!config.backend || config.backend.type === 'local') {
    return {
      type: 'local',
      config: {
        path: join(
          config.stateDirectory,
          team,
          template,
          requestKey,
          'terraform.tfstate',
        ),
      },
    };
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.backend.config)) {
    values[name] = value
      .replaceAll('{team}', team)
      .replaceAll('{template}', template)
      .replaceAll('{requestKey}', requestKey);
  }
  return { type: config.backend.type, config: values };
}
