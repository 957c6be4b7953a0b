import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_EXPIRES_AT,
  ANNOTATION_REQUEST_ID,
  ProvisionedResource,
} from '@internal/plugin-self-service-common';

/** The location every self-service Resource entity claims to come from. */
export const LOCATION_PREFIX = 'self-service:';

function entityName(resource: ProvisionedResource): string {
  const template = parseEntityRef(resource.templateRef).name;
  const raw = `${template}-${resource.name}-${resource.environment}`;
  // Entity names: [a-z0-9A-Z-_.], at most 63 characters, alphanumeric at both ends.
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9-_.]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 63)
    .replace(/[^a-z0-9]+$/g, '');
}

function tagValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9+#-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/**
 * The catalog `Resource` entity for a provisioned resource: owned by the
 * team, tagged, annotated with its request and expiry, and carrying the
 * non-sensitive outputs so the team sees what it owns and how to reach it.
 */
export function toResourceEntity(resource: ProvisionedResource, appBaseUrl: string): Entity {
  const location = `${LOCATION_PREFIX}${resource.requestId}`;
  const outputs = Object.entries(resource.outputs).map(([k, v]) => `${k}: ${String(v)}`);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: entityName(resource),
      title: resource.name,
      description: [
        ...(resource.simulated
          ? ['SIMULATED: no Terraform ran; this resource does not exist (the backend had no Terraform and replayed a recording).']
          : []),
        `Provisioned by self-service request ${resource.requestId} from ${resource.templateRef}.`,
        ...outputs,
      ].join('\n'),
      annotations: {
        [ANNOTATION_REQUEST_ID]: resource.requestId,
        ...(resource.expiresAt ? { [ANNOTATION_EXPIRES_AT]: resource.expiresAt } : {}),
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
      tags: [
        ...new Set(
          [resource.environment, ...resource.tags, ...(resource.simulated ? ['simulated'] : [])]
            .map(tagValue)
            .filter(Boolean),
        ),
      ],
      links: [
        {
          url: `${appBaseUrl}/self-service/requests/${resource.requestId}`,
          title: 'Self-service request',
        },
      ],
    },
    spec: {
      type: resource.type,
      owner: resource.team,
      lifecycle: resource.environment === 'production' ? 'production' : 'experimental',
      outputs: resource.outputs,
    },
  };
}
