import { mockServices } from '@backstage/backend-test-utils';
import type { ProvisionedResource } from '@internal/plugin-self-service-common';
import { SelfServiceResourceProvider } from './SelfServiceResourceProvider';

const resource = (requestId: string, name: string): ProvisionedResource => ({
  requestId,
  templateRef: 'template:default/postgres-database',
  type: 'database',
  name,
  team: 'group:default/team-a',
  environment: 'dev',
  tags: [],
  outputs: {},
});
const ORDERS = resource('0b7c1f1e-6a51-4c1a-9d1f-2d3c4b5a6978', 'orders-db');
const USERS = resource('1c8d2e2f-7b62-4d2b-8e2f-3e4d5c6b7a89', 'users-db');

function connectedProvider(live: ProvisionedResource[]) {
  const listResources = jest.fn(async (requestId?: string) =>
    live.filter(r => !requestId || r.requestId === requestId),
  );
  const provider = new SelfServiceResourceProvider({
    listResources,
    appBaseUrl: 'http://app',
    logger: mockServices.logger.mock(),
  });
  const connection = { applyMutation: jest.fn(async () => {}), refresh: jest.fn() };
  provider.connect(connection);
  return { provider, connection, listResources };
}

const deferred = (r: ProvisionedResource) => ({
  entity: expect.objectContaining({
    kind: 'Resource',
    metadata: expect.objectContaining({ name: `postgres-database-${r.name}-dev` }),
  }),
  locationKey: `self-service:${r.requestId}`,
});

describe('SelfServiceResourceProvider', () => {
  it('replaces all its entities on a full refresh', async () => {
    const { provider, connection, listResources } = connectedProvider([ORDERS, USERS]);
    expect(await provider.refresh()).toBe(2);
    expect(listResources).toHaveBeenCalledWith();
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [deferred(ORDERS), deferred(USERS)],
    });
  });

  it("adds or updates one live request's entity with a delta, reading only that request", async () => {
    const { provider, connection, listResources } = connectedProvider([ORDERS, USERS]);
    expect(await provider.refreshRequest(USERS.requestId)).toBe(1);
    expect(listResources).toHaveBeenCalledTimes(1);
    expect(listResources).toHaveBeenCalledWith(USERS.requestId);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'delta',
      added: [deferred(USERS)],
      removed: [],
    });
  });

  it('falls back to a full refresh when the request has no live resource (it was destroyed)', async () => {
    const { provider, connection, listResources } = connectedProvider([ORDERS]);
    expect(await provider.refreshRequest(USERS.requestId)).toBe(1);
    expect(listResources.mock.calls).toEqual([[USERS.requestId], []]);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [deferred(ORDERS)],
    });
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const provider = new SelfServiceResourceProvider({
      listResources: async () => [ORDERS],
      appBaseUrl: 'http://app',
      logger: mockServices.logger.mock(),
    });
    await expect(provider.refreshRequest(ORDERS.requestId)).rejects.toThrow('not connected');
  });
});
