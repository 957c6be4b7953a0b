import {
  SELF_SERVICE_CHANGE_OPERATION,
  SELF_SERVICE_DESTROY_OPERATION,
} from '@internal/plugin-self-service-common';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  hashParameters,
  sha256OfCanonicalJson,
} from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { FakeSelfServiceClient } from '../../__testUtils__/fakes';
import { mockAuth, runAction } from '../../__testUtils__/runAction';
import { heldGrants } from '../terraform/grant';
import { createRequestAction } from './request';
import { examples } from './request.examples';

const cost = { currency: 'USD', monthlyTotal: 34.86, lines: [], unpriced: [] };
const parameters = { name: 'orders-db', storage_gb: 50 };
const steps = [
  { id: 'plan', action: 'terraform:plan', input: { module: './module' } },
];

describe('self-service:request', () => {
  const dir = createMockDirectory();
  let client: FakeSelfServiceClient;
  /** Who read the template from the catalog, per read. */
  let templateReaders: string[];
  beforeEach(() => {
    dir.clear();
    client = new FakeSelfServiceClient();
    templateReaders = [];
    heldGrants.release('task-1');
  });

  const action = (spec: unknown) =>
    createRequestAction({
      client,
      auth: mockAuth(),
      appBaseUrl: 'http://localhost:3000',
      catalog: {
        getEntityByRef: async (_ref, { credentials }) => {
          templateReaders.push(
            (credentials.principal as { type: string }).type,
          );
          return spec ? ({ spec } as any) : undefined;
        },
      },
    });
  const run = (
    input: Record<string, unknown>,
    extra: Parameters<typeof runAction>[2] = {},
    spec: unknown = { steps },
  ) => runAction(action(spec), input, { workspacePath: dir.path, ...extra });
  const base = {
    parameters,
    team: 'team-a',
    environment: 'dev',
    cost,
    findings: [
      { code: 'environment.ttl', severity: 'warn', message: 'expires' },
    ],
  };

  it('records an auto-approved request as the user and holds its grant for the apply step', async () => {
    const { outputs, error, log } = await run({
      ...base,
      expiresAt: '2026-11-30T10:00:00.000Z',
    });
    expect(error).toBeUndefined();
    const [call] = client.calls;
    expect(call.method).toBe('createRequest');
    expect(call.token).toContain('user:default/mock');
    // The template is checked as the scaffolder, the request recorded as the user.
    expect(templateReaders).toEqual(['service']);
    expect(call.body).toMatchObject({
      templateRef: 'template:default/postgres-database',
      templateStepsHash: sha256OfCanonicalJson(steps),
      parameters,
      parametersHash: hashParameters(parameters),
      team: 'group:default/team-a',
      environment: 'dev',
      findings: base.findings,
      approvalPolicy: { stages: [], allowSelfApprovalOutsideProduction: false },
      expiresAt: '2026-11-30T10:00:00.000Z',
      taskId: 'task-1',
      stepId: 'mock-step-id',
    });
    expect(outputs).toEqual({
      requestId: expect.any(String),
      state: 'approved',
      approved: true,
      autoApproved: true,
      destroy: false,
      url: `http://localhost:3000/self-service/requests/${outputs.requestId}`,
      message: 'The request was approved automatically; applying it now.',
    });
    // Held in memory for the apply step of this task: not in the outputs,
    // the log, or anywhere in the workspace.
    const held = heldGrants.get('task-1')!;
    expect(held).toEqual({
      requestId: outputs.requestId,
      token: client.grants[0].token,
    });
    expect(await fs.readdir(dir.path, { recursive: true })).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain(held.token);
    expect(log).not.toContain(held.token);
  });

  it('refuses a template whose apply could run without the request gating it', async () => {
    const unsafe = {
      steps: [
        { id: 'request', action: 'self-service:request' },
        {
          id: 'apply',
          action: 'terraform:apply',
          if: '${{ parameters.skipApproval }}',
        },
      ],
    };
    const { error } = await run(base, {}, unsafe);
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain('apply-if-caller-controlled');
    expect(client.calls).toEqual([]);
    const gone = await run(base, {}, null);
    expect(gone.error?.message).toBe(
      'The template template:default/postgres-database is no longer in the catalog',
    );
  });

  it('waits for approval when stages are needed, holding no grant', async () => {
    // What an earlier attempt of this task held (a retried task) goes.
    heldGrants.hold(
      'task-1',
      { requestId: 'earlier', token: 'stale' },
      new Date(Date.now() + 60_000),
    );
    const { outputs } = await run({
      ...base,
      stages: [{ name: 'finance', groups: ['group:default/finance'] }],
    });
    expect(outputs).toMatchObject({
      state: 'pending_approval',
      approved: false,
      autoApproved: false,
    });
    expect(outputs.message).toContain('waits for approval (finance)');
    expect(heldGrants.get('task-1')).toBeUndefined();
  });

  it('rejects an invalid body, naming the fields', async () => {
    const { error } = await run({
      parameters,
      team: 'team-a',
      environment: 'dev',
      planHash: 'abc',
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /cost: .*; planHash: must be a sha256 hex digest/,
    );
    expect(client.calls).toEqual([]);
  });

  it('refuses to record a request a guardrail denied', async () => {
    const { error } = await run({
      ...base,
      findings: [
        { code: 'budget.exceeded', severity: 'deny', message: 'over' },
      ],
    });
    expect(error?.name).toBe('NotAllowedError');
    expect(client.calls).toEqual([]);
  });

  it('fails when the backend denies the request, linking to it', async () => {
    client.createRequest = async body => ({
      request: {
        id: 'r-1',
        state: 'denied',
        stateReason: 'budget reserved by a concurrent request',
        approvalPolicy: body.approvalPolicy,
      } as any,
    });
    const { error, outputs } = await run(base);
    expect(error?.message).toBe(
      'The request was denied: budget reserved by a concurrent request (http://localhost:3000/self-service/requests/r-1)',
    );
    expect(outputs.approved).toBe(false);
  });

  it('does not record again in a task launched for an approved request', async () => {
    const { outputs } = await run(base, {
      secrets: {
        selfServiceRequestId: 'r-9',
        selfServiceGrantToken: 'x'.repeat(40),
      },
    });
    expect(client.calls).toEqual([]);
    expect(outputs).toMatchObject({
      requestId: 'r-9',
      approved: true,
      autoApproved: false,
      destroy: false,
    });
  });

  it('records nothing and outputs destroy in a task launched to tear a request down', async () => {
    const { outputs, error } = await run(base, {
      secrets: {
        selfServiceRequestId: 'r-9',
        selfServiceGrantToken: 'x'.repeat(40),
        selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
      },
    });
    expect(error).toBeUndefined();
    expect(client.calls).toEqual([]);
    expect(outputs).toMatchObject({
      requestId: 'r-9',
      state: 'destroying',
      approved: false,
      autoApproved: false,
      destroy: true,
    });
  });

  it('records a change request as the user in a day-2 change run, naming the resource and presenting its ticket', async () => {
    const target = '7d6f4c2a-1b3e-4f5a-9c8d-0e1f2a3b4c5d';
    const ticket = 't'.repeat(43);
    const { outputs, error } = await run(base, {
      secrets: {
        selfServiceRequestId: target,
        selfServiceGrantToken: ticket,
        selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
      },
    });
    expect(error).toBeUndefined();
    const [call] = client.calls;
    expect(call.method).toBe('createRequest');
    // The change run is the user's own: recorded as them, not as the plugin.
    expect(call.token).toContain('user:default/mock');
    expect(call.body).toMatchObject({
      changeOf: target,
      changeToken: ticket,
      parameters,
      parametersHash: hashParameters(parameters),
      taskId: 'task-1',
    });
    expect(outputs).toMatchObject({ destroy: false });
  });

  it('example parses and records', async () => {
    const step = parseYaml(examples[0].example).steps[0];
    expect(step.action).toBe('self-service:request');
    const { error } = await run({
      ...step.input,
      ...base,
      planSummary: undefined,
      planHash: undefined,
      planFileDigest: undefined,
      stages: [],
      expiresAt: '',
    });
    expect(error).toBeUndefined();
  });
});
