import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { SelfServiceClient } from './SelfServiceClient';
import {
  REQUEST_ID,
  makeDetail,
  makeRequest,
  makeUsage,
} from '../__testUtils__/fixtures';

const base = 'http://example.com/api/self-service';

describe('SelfServiceClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new SelfServiceClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('lists requests with every filter in the query', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      rest.get(`${base}/requests`, (req, res, ctx) => {
        seen = req.url.searchParams;
        return res(ctx.json({ items: [makeRequest()], nextCursor: 'c2' }));
      }),
    );
    const page = await client.listRequests({
      mine: true,
      state: ['succeeded', 'destroying'],
      team: 'group:default/team-a',
      template: 'template:default/postgres-database',
      limit: 50,
      cursor: 'c1',
    });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBe('c2');
    expect(seen?.get('mine')).toBe('true');
    expect(seen?.getAll('state')).toEqual(['succeeded', 'destroying']);
    expect(seen?.get('team')).toBe('group:default/team-a');
    expect(seen?.get('template')).toBe('template:default/postgres-database');
    expect(seen?.get('limit')).toBe('50');
    expect(seen?.get('cursor')).toBe('c1');
  });

  it('reads the inbox', async () => {
    server.use(
      rest.get(`${base}/inbox`, (req, res, ctx) =>
        res(
          ctx.json({
            items: [makeRequest({ id: req.url.searchParams.get('limit')! })],
          }),
        ),
      ),
    );
    const page = await client.getInbox({ limit: 10 });
    expect(page.items[0].id).toBe('10');
  });

  it('gets a request detail by its encoded id', async () => {
    let path = '';
    server.use(
      rest.get(`${base}/requests/:id`, (req, res, ctx) => {
        path = req.url.pathname;
        return res(ctx.json(makeDetail()));
      }),
    );
    await expect(client.getRequest(REQUEST_ID)).resolves.toMatchObject({
      id: REQUEST_ID,
    });
    await client.getRequest('a/b');
    expect(path).toBe('/api/self-service/requests/a%2Fb');
  });

  it('posts a decision as JSON and returns the new detail', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      rest.post(`${base}/requests/:id/decisions`, async (req, res, ctx) => {
        body = await req.json();
        contentType = req.headers.get('content-type');
        return res(ctx.json(makeDetail({ state: 'rejected' })));
      }),
    );
    const detail = await client.decide(REQUEST_ID, {
      decision: 'reject',
      comment: 'too big',
    });
    expect(detail.state).toBe('rejected');
    expect(body).toEqual({ decision: 'reject', comment: 'too big' });
    expect(contentType).toBe('application/json');
  });

  it('starts the tear-down of a request with an optional reason', async () => {
    const bodies: unknown[] = [];
    server.use(
      rest.post(
        `${base}/requests/${REQUEST_ID}/destroy`,
        async (req, res, ctx) => {
          bodies.push(await req.json());
          return res(ctx.json(makeDetail({ state: 'destroying' })));
        },
      ),
    );
    await expect(
      client.destroy(REQUEST_ID, { reason: 'done' }),
    ).resolves.toMatchObject({
      state: 'destroying',
    });
    await client.destroy(REQUEST_ID);
    expect(bodies).toEqual([{ reason: 'done' }, {}]);
  });

  it('asks for an extension and returns the extension and its target', async () => {
    let body: unknown;
    server.use(
      rest.post(
        `${base}/requests/${REQUEST_ID}/extend`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.status(201),
            ctx.json({
              extension: makeRequest({
                id: 'ext-1',
                kind: 'extension',
                state: 'pending_approval',
              }),
              target: makeRequest({ state: 'succeeded' }),
            }),
          );
        },
      ),
    );
    const answer = await client.extend(REQUEST_ID, {
      days: 14,
      reason: 'demo week',
    });
    expect(body).toEqual({ days: 14, reason: 'demo week' });
    expect(answer.extension).toMatchObject({
      id: 'ext-1',
      state: 'pending_approval',
    });
  });

  it('starts a change with the parameters and returns the task to follow', async () => {
    let body: unknown;
    server.use(
      rest.post(
        `${base}/requests/${REQUEST_ID}/changes`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(
            ctx.status(202),
            ctx.json({ taskId: 't-9', taskPath: '/create/tasks/t-9' }),
          );
        },
      ),
    );
    await expect(
      client.startChange(REQUEST_ID, { name: 'orders-db', storage_gb: 200 }),
    ).resolves.toEqual({ taskId: 't-9', taskPath: '/create/tasks/t-9' });
    expect(body).toEqual({
      parameters: { name: 'orders-db', storage_gb: 200 },
    });
  });

  it('cancels a request', async () => {
    server.use(
      rest.post(`${base}/requests/${REQUEST_ID}/cancel`, (_req, res, ctx) =>
        res(ctx.json(makeDetail({ state: 'canceled' }))),
      ),
    );
    await expect(client.cancel(REQUEST_ID)).resolves.toMatchObject({
      state: 'canceled',
    });
  });

  it('url-encodes the team ref of the usage call', async () => {
    let path = '';
    server.use(
      rest.get(`${base}/teams/:ref/usage`, (req, res, ctx) => {
        path = req.url.pathname;
        return res(ctx.json(makeUsage()));
      }),
    );
    const usage = await client.getTeamUsage('group:default/team-a');
    expect(usage.budget.remaining).toBe(287.5);
    expect(path).toBe('/api/self-service/teams/group%3Adefault%2Fteam-a/usage');
  });

  it('posts an estimate', async () => {
    let body: unknown;
    server.use(
      rest.post(`${base}/estimate`, async (req, res, ctx) => {
        body = await req.json();
        return res(ctx.json({ ...makeRequest().cost, usage: makeUsage() }));
      }),
    );
    const estimate = await client.estimate({
      templateRef: 'template:default/postgres-database',
      parameters: { instance_size: 'small' },
      team: 'group:default/team-a',
    });
    expect(estimate.monthlyTotal).toBe(412.5);
    expect(estimate.usage?.team).toBe('group:default/team-a');
    expect(body).toEqual({
      templateRef: 'template:default/postgres-database',
      parameters: { instance_size: 'small' },
      team: 'group:default/team-a',
    });
  });

  it('throws a ResponseError carrying the server message', async () => {
    server.use(
      rest.post(`${base}/requests/:id/decisions`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json({
            error: {
              name: 'NotAllowedError',
              message: 'You may not decide your own request',
            },
            response: { statusCode: 403 },
          }),
        ),
      ),
    );
    const error = await client
      .decide(REQUEST_ID, { decision: 'approve' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(403);
    expect((error as ResponseError).body.error.message).toBe(
      'You may not decide your own request',
    );
  });
});
