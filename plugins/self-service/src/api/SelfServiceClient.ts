import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ChangeLaunchResponse,
  ChangeRequestBody,
  DecisionBody,
  DestroyRequestBody,
  EstimateBody,
  ExtendRequestBody,
  ExtendResponse,
  Page,
  SelfServiceRequest,
  SelfServiceRequestDetail,
  TeamUsage,
} from '@internal/plugin-self-service-common';
import type {
  EstimateResponse,
  InboxOptions,
  ListRequestsOptions,
  SelfServiceApi,
} from './SelfServiceApi';

/**
 * HTTP implementation of {@link SelfServiceApi}.
 * @public
 */
export class SelfServiceClient implements SelfServiceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listRequests(
    options: ListRequestsOptions = {},
  ): Promise<Page<SelfServiceRequest>> {
    const query = new URLSearchParams();
    if (options.mine !== undefined) query.set('mine', String(options.mine));
    for (const state of ([] as string[]).concat(options.state ?? [])) {
      query.append('state', state);
    }
    if (options.template) query.set('template', options.template);
    if (options.team) query.set('team', options.team);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    return this.request(withQuery('/requests', query));
  }

  getInbox(options: InboxOptions = {}): Promise<Page<SelfServiceRequest>> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    return this.request(withQuery('/inbox', query));
  }

  getRequest(id: string): Promise<SelfServiceRequestDetail> {
    return this.request(`/requests/${encodeURIComponent(id)}`);
  }

  decide(id: string, body: DecisionBody): Promise<SelfServiceRequestDetail> {
    return this.request(`/requests/${encodeURIComponent(id)}/decisions`, {
      method: 'POST',
      body,
    });
  }

  cancel(id: string): Promise<SelfServiceRequestDetail> {
    return this.request(`/requests/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
    });
  }

  async deleteRequest(id: string): Promise<void> {
    await this.request<void>(`/requests/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      noContent: true,
    });
  }

  destroy(
    id: string,
    body: DestroyRequestBody = {},
  ): Promise<SelfServiceRequestDetail> {
    return this.request(`/requests/${encodeURIComponent(id)}/destroy`, {
      method: 'POST',
      body,
    });
  }

  extend(id: string, body: ExtendRequestBody): Promise<ExtendResponse> {
    return this.request(`/requests/${encodeURIComponent(id)}/extend`, {
      method: 'POST',
      body,
    });
  }

  startChange(
    id: string,
    parameters: Record<string, unknown>,
  ): Promise<ChangeLaunchResponse> {
    const body: ChangeRequestBody = { parameters };
    return this.request(`/requests/${encodeURIComponent(id)}/changes`, {
      method: 'POST',
      body,
    });
  }

  getTeamUsage(teamRef: string): Promise<TeamUsage> {
    return this.request(`/teams/${encodeURIComponent(teamRef)}/usage`);
  }

  estimate(body: EstimateBody): Promise<EstimateResponse> {
    return this.request('/estimate', { method: 'POST', body });
  }

  private async request<T>(
    path: string,
    init: { method?: string; body?: unknown; noContent?: boolean } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('self-service');
    const hasBody = init.body !== undefined;
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: hasBody ? { 'Content-Type': 'application/json' } : undefined,
      body: hasBody ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (init.noContent) return undefined as T;
    return (await response.json()) as T;
  }
}

function withQuery(path: string, query: URLSearchParams): string {
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
