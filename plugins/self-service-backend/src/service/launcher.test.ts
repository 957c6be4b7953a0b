import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import { sha256OfCanonicalJson } from '@internal/plugin-self-service-node';
import { ScaffolderLauncher } from './launcher';

const request = {
  id: 'r1',
  templateRef: 'template:default/postgres-database',
  parameters: { name: 'db' },
} as unknown as SelfServiceRequest;

describe('ScaffolderLauncher', () => {
  it('starts the template as the plugin with the grant in the task secrets', async () => {
    const fetchMock = jest.fn(
      async (_url: string, _init: RequestInit) =>
        new Response(JSON.stringify({ id: 'task-9' }), { status: 201 }),
    );
    const launcher = new ScaffolderLauncher({
      auth: mockServices.auth({ pluginId: 'self-service' }),
      discovery: mockServices.discovery(),
      fetch: fetchMock as unknown as typeof fetch,
    });
    expect(await launcher.launch(request, 'grant-token')).toEqual({
      taskId: 'task-9',
    });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://localhost:0/api/scaffolder/v2/tasks');
    expect(JSON.parse(init.body as string)).toEqual({
      templateRef: request.templateRef,
      values: { name: 'db' },
      secrets: {
        selfServiceRequestId: 'r1',
        selfServiceGrantToken: 'grant-token',
      },
    });
    const token = (
      init.headers as Record<string, string>
    ).Authorization.replace('Bearer ', '');
    // The mock auth encodes who the token is for and on whose behalf.
    expect(token).toContain('"sub":"plugin:self-service"');
    expect(token).toContain('"target":"scaffolder"');
  });

  it('throws the scaffolder error when the launch is refused', async () => {
    const launcher = new ScaffolderLauncher({
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      fetch: (async () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'no template' },
          }),
          {
            status: 404,
          },
        )) as unknown as typeof fetch,
    });
    await expect(launcher.launch(request, 't')).rejects.toBeInstanceOf(
      ResponseError,
    );
  });
});

describe('ScaffolderLauncher template check', () => {
  const steps = [{ id: 'apply', action: 'terraform:apply' }];
  const launcherWith = (
    catalogSteps: unknown[] | undefined,
    fetchMock: jest.Mock,
  ) =>
    new ScaffolderLauncher({
      auth: mockServices.auth({ pluginId: 'self-service' }),
      discovery: mockServices.discovery(),
      catalog: {
        getEntityByRef: async () =>
          catalogSteps
            ? ({
                apiVersion: 'v1',
                kind: 'Template',
                metadata: { name: 't' },
                spec: { steps: catalogSteps },
              } as any)
            : undefined,
      },
      fetch: fetchMock as unknown as typeof fetch,
    });
  const hashed = {
    ...request,
    templateStepsHash: sha256OfCanonicalJson(steps),
  } as SelfServiceRequest;

  it('launches when the steps are those the request recorded', async () => {
    const fetchMock = jest.fn(
      async () => new Response(JSON.stringify({ id: 't1' }), { status: 201 }),
    );
    await expect(
      launcherWith(steps, fetchMock).launch(hashed, 'g'),
    ).resolves.toEqual({ taskId: 't1' });
  });

  it.each([
    [
      'edited steps',
      [...steps, { id: 'extra', action: 'debug:log' }],
      /changed since approval/,
    ],
    ['a template gone from the catalog', undefined, /no longer in the catalog/],
  ])(
    'refuses %s without starting anything',
    async (_, catalogSteps, message) => {
      const fetchMock = jest.fn();
      await expect(
        launcherWith(catalogSteps, fetchMock).launch(hashed, 'g'),
      ).rejects.toThrow(message);
      expect(fetchMock).not.toHaveBeenCalled();
    },
  );
});
