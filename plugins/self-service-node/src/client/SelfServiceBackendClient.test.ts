import { mockServices, registerMswTestHooks } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { SelfServiceBackendClient } from './SelfServiceBackendClient';

const BASE = 'http://localhost:0/api/self-service';
const hash = 'a'.repeat(64);
const body = {
  templateRef: 'template:default/postgres-database',
  templateStepsHash: hash,
  parameters: { size: 'small' },
  parametersHash: hash,
  team: 'group:default/team-a',
  environment: 'dev' as const,
  cost: { monthlyTotal: 10, lines: [], unpriced: [] },
  approvalPolicy: {},
  taskId: 'task-1',
  stepId: 'request',
};

describe('SelfServiceBackendClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const client = new SelfServiceBackendClient({ discovery: mockServices.discovery() });

  it('posts a request with the token and returns the grant', async () => {
    server.use(
      rest.post(`${BASE}/requests`, async (req, res, ctx) => {
        expect(req.headers.get('authorization')).toBe('Bearer user-obo');
        expect(req.headers.get('content-type')).toBe('application/json');
        expect(await req.json()).toEqual(body);
        return res(
          ctx.status(201),
          ctx.json({ request: { id: 'r1', state: 'approved' }, grant: { token: 't', expiresAt: 'x' } }),
        );
      }),
    );
    const result = await client.createRequest(body, { token: 'user-obo' });
    expect(result.grant).toEqual({ token: 't', expiresAt: 'x' });
    expect(result.request.id).toBe('r1');
  });

  it('encodes team refs and request ids in the path', async () => {
    server.use(
      rest.get(`${BASE}/teams/:ref/usage`, (req, res, ctx) =>
        res(ctx.json({ team: req.params.ref, path: req.url.pathname })),
      ),
      rest.get(`${BASE}/requests/:id`, (req, res, ctx) =>
        res(ctx.json({ id: req.params.id, path: req.url.pathname })),
      ),
    );
    const usage: any = await client.getTeamUsage('group:default/team-a', { token: 'u' });
    expect(usage.path).toBe('/api/self-service/teams/group%3Adefault%2Fteam-a/usage');
    const detail: any = await client.getRequest('../grants/redeem', { token: 'u' });
    expect(detail.path).toBe('/api/self-service/requests/..%2Fgrants%2Fredeem');
  });

  it('throws a ResponseError with the status code and the server message', async () => {
    server.use(
      rest.post(`${BASE}/grants/redeem`, (_req, res, ctx) =>
        res(
          ctx.status(409),
          ctx.json({
            error: { name: 'ConflictError', message: 'The grant was already redeemed' },
            response: { statusCode: 409 },
          }),
        ),
      ),
    );
    const attempt = client.redeemGrant(
      {
        requestId: '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b',
        templateRef: body.templateRef,
        parametersHash: hash,
        planHash: hash,
        taskId: 'task-1',
        token: 't'.repeat(43),
      },
      { token: 'service' },
    );
    await expect(attempt).rejects.toBeInstanceOf(ResponseError);
    await expect(attempt).rejects.toMatchObject({
      statusCode: 409,
      message: 'Request failed with 409 Conflict: The grant was already redeemed',
      cause: { name: 'ConflictError' },
    });
  });

  it('reports a status', async () => {
    server.use(
      rest.post(`${BASE}/requests/r1/status`, async (req, res, ctx) =>
        res(ctx.json({ id: 'r1', ...((await req.json()) as object) })),
      ),
    );
    const result: any = await client.reportStatus(
      'r1',
      { state: 'failed', taskId: 'task-2', reason: 'plan drifted' },
      { token: 'service' },
    );
    expect(result).toMatchObject({ id: 'r1', state: 'failed', reason: 'plan drifted' });
  });
  it('checks a grant with the service token and surfaces a refusal naming the field', async () => {
    const claim = {
      requestId: '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b',
      templateRef: body.templateRef,
      parametersHash: hash,
      taskId: 'task-1',
      token: 't'.repeat(43),
      purpose: 'destroy' as const,
    };
    server.use(
      rest.post(`${BASE}/grants/check`, async (req, res, ctx) => {
        expect(req.headers.get('authorization')).toBe('Bearer service');
        const sent = (await req.json()) as typeof claim;
        if (sent.templateRef !== body.templateRef) {
          return res(
            ctx.status(403),
            ctx.json({
              error: { name: 'NotAllowedError', message: 'templateRef: the grant is bound to another' },
              response: { statusCode: 403 },
            }),
          );
        }
        expect(sent).toEqual(claim);
        return res(ctx.json({ grantId: 'g1', requestId: sent.requestId, purpose: 'destroy' }));
      }),
    );
    const checked = await client.checkGrant(claim, { token: 'service' });
    expect(checked).toMatchObject({ grantId: 'g1', purpose: 'destroy' });
    const refused = client.checkGrant(
      { ...claim, templateRef: 'template:default/other' },
      { token: 'service' },
    );
    await expect(refused).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('templateRef: the grant is bound to another'),
    });
  });
});
