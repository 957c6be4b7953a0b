import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { ProvisionedResource } from '@internal/plugin-self-service-common';

/** Lists every live resource, or only the given request's (none or one). */
export type ResourceLister = (requestId?: string) => Promise<ProvisionedResource[]>;

/**
 * Reads provisioned resources from the self-service backend's
 * `GET /resources`, as the catalog's own service identity (the endpoint
 * admits only `plugin:catalog`).
 */
export function createResourceLister(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}): ResourceLister {
  const { discovery, auth } = options;
  const doFetch = options.fetch ?? fetch;
  return async requestId => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'self-service',
    });
    const baseUrl = await discovery.getBaseUrl('self-service');
    const query = requestId ? `?requestId=${encodeURIComponent(requestId)}` : '';
    const response = await doFetch(`${baseUrl}/resources${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body: unknown = await response.json();
    // A full mutation with a wrong list would empty the catalog: refuse it.
    if (!Array.isArray(body)) {
      throw new Error('GET /resources did not return a list');
    }
    return body as ProvisionedResource[];
  };
}
