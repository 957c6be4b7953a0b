import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { createResourceLister } from './listResources';

const resource = {
  requestId: '0b7c1f1e-6a51-4c1a-9d1f-2d3c4b5a6978',
  templateRef: 'template:default/postgres-database',
  type: 'database',
  name: 'orders-db',
  team: 'group:default/team-a',
  environment: 'dev',
  tags: [],
  outputs: {},
};

function lister(response: Response) {
  const fetchMock = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const list = createResourceLister({
    auth: mockServices.auth({ pluginId: 'catalog' }),
    discovery: mockServices.discovery(),
    fetch: fetchMock as unknown as typeof fetch,
  });
  return { list, fetchMock };
}

describe('createResourceLister', () => {
  it('reads GET /resources with a service token for the self-service plugin', async () => {
    const { list, fetchMock } = lister(Response.json([resource]));
    expect(await list()).toEqual([resource]);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://localhost:0/api/self-service/resources');
    const token = (init!.headers as Record<string, string>).Authorization.replace('Bearer ', '');
    expect(token).toContain('"sub":"plugin:catalog"');
    expect(token).toContain('"target":"self-service"');
  });

  it("asks for one request's resource only when given its id", async () => {
    const { list, fetchMock } = lister(Response.json([resource]));
    expect(await list(resource.requestId)).toEqual([resource]);
    expect(fetchMock.mock.calls[0][0]).toBe(
      `http://localhost:0/api/self-service/resources?requestId=${resource.requestId}`,
    );
  });

  it('throws the backend error rather than reporting no resources', async () => {
    const { list } = lister(
      Response.json({ error: { name: 'NotAllowedError', message: 'no' } }, { status: 403 }),
    );
    await expect(list()).rejects.toMatchObject({
      name: ResponseError.name,
      response: { status: 403 },
    });
  });

  it('refuses a body that is not a list', async () => {
    const { list } = lister(Response.json({ items: [] }));
    await expect(list()).rejects.toThrow('did not return a list');
  });
});
