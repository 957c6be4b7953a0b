import { SELF_SERVICE_CHANGE_OPERATION,
  SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { hashParameters } from '@internal/plugin-self-service-node';
import { FakeSelfServiceClient } from '../../__testUtils__/fakes';
import { mockAuth, runAction } from '../../__testUtils__/runAction';
import {
  readCalls,
  standinRunner,
  templateInfo,
  terraformConfig,
} from '../../__testUtils__/terraform';
import { createTerraformApplyAction } from './apply';
import { createTerraformDestroyAction } from './destroy';
import { createTerraformPlanAction } from './plan';

const parameters = {
  name: 'orders-db',
  instance_size: 'small',
  storage_gb: 50,
  environment: 'dev',
};
const tags = { team: 'team-a', 'request-key': 'task-original' };
const REQUEST_ID = '6a4f0e5e-2b1c-4d3e-8f9a-0b1c2d3e4f5a';
const FORGED = 'forged-token-forged-token-forged';

/**
 * A task that names a request in its secrets has its grant checked by the
 * backend before any Terraform command: when the check refuses, the
 * stand-in Terraform is never invoked.
 */
describe('the grant check before Terraform runs', () => {
  const dir = createMockDirectory();
  let record: string;
  let client: FakeSelfServiceClient;

  beforeEach(() => {
    dir.clear();
    record = dir.resolve('calls.jsonl');
    client = new FakeSelfServiceClient();
    client.requests.set(REQUEST_ID, {
      id: REQUEST_ID,
      templateRef: 'template:default/postgres-database',
      team: 'group:default/team-a',
      parameters,
      planHash: 'a'.repeat(64),
      taskIds: ['task-original'],
      state: 'approved',
    } as any);
  });

  const options = () => ({
    runner: standinRunner({ scenario: 'create', record }),
    config: terraformConfig(dir.path),
    client,
    auth: mockAuth(),
  });
  const ctx = (
    secrets: Record<string, string> | undefined,
    taskId = 'task-launched',
  ) => ({
    workspacePath: dir.resolve(`workspace-${taskId}`),
    templateInfo: templateInfo('postgres'),
    taskId,
    ...(secrets ? { secrets } : {}),
  });
  const launched = (token: string, destroy = false) =>
    ctx({
      selfServiceRequestId: REQUEST_ID,
      selfServiceGrantToken: token,
      ...(destroy
        ? { selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION }
        : {}),
    });
  const planInput = { module: './module', variables: parameters, tags };
  const checks = () => client.calls.filter(c => c.method === 'checkGrant');

  describe('terraform:plan', () => {
    it('plans once the backend has checked the grant, asking as the scaffolder', async () => {
      const grant = client.mintGrant(REQUEST_ID, 'task-launched');
      const { error, log } = await runAction(
        createTerraformPlanAction(options()),
        { ...planInput, parameters },
        launched(grant.token),
      );
      expect(error).toBeUndefined();
      expect(checks()).toHaveLength(1);
      expect(checks()[0].body).toEqual({
        requestId: REQUEST_ID,
        templateRef: 'template:default/postgres-database',
        parametersHash: hashParameters(parameters),
        taskId: 'task-launched',
        token: grant.token,
      });
      // The scaffolder's own service token, never the initiator's.
      expect(checks()[0].token).toContain('plugin:scaffolder');
      expect(log).toContain('checked the apply grant for request');
      expect((await readCalls(record)).map(c => c.argv[0])).toEqual([
        'init',
        'plan',
        'show',
      ]);
      expect(grant.used).toBe(false);
    });

    it.each([
      [
        'a forged token',
        () => ({ token: FORGED }),
        'token: no grant of request',
      ],
      [
        'a grant bound to another task',
        () => ({ token: client.mintGrant(REQUEST_ID, 'task-other').token }),
        'taskId',
      ],
      [
        'other parameters than the approved ones',
        () => ({
          token: client.mintGrant(REQUEST_ID, 'task-launched').token,
          parameters: { ...parameters, storage_gb: 500 },
        }),
        'parametersHash',
      ],
      [
        'an apply grant in a tear-down run',
        () => ({
          token: client.mintGrant(REQUEST_ID, 'task-launched').token,
          destroy: true,
        }),
        'purpose: the grant of request',
      ],
      [
        'a redeemed grant',
        () => {
          const grant = client.mintGrant(REQUEST_ID, 'task-launched');
          grant.used = true;
          return { token: grant.token };
        },
        'already redeemed',
      ],
    ])('never runs Terraform for %s', async (_label, make, message) => {
      const {
        token,
        parameters: given,
        destroy,
      } = make() as {
        token: string;
        parameters?: Record<string, unknown>;
        destroy?: boolean;
      };
      const { error } = await runAction(
        createTerraformPlanAction(options()),
        { ...planInput, parameters: given ?? parameters },
        launched(token, destroy),
      );
      expect(error?.name).toBe('NotAllowedError');
      expect(error?.message).toContain(
        `terraform:plan: the ${destroy ? 'destroy' : 'apply'} grant for request ${REQUEST_ID} was refused, so no Terraform command was run`,
      );
      expect(error?.message).toContain(message);
      expect(await readCalls(record)).toEqual([]);
    });

    it("checks a day-2 change run's ticket as a 'change' before planning on the resource's state", async () => {
      const { error } = await runAction(
        createTerraformPlanAction(options()),
        { ...planInput, parameters },
        ctx({
          selfServiceRequestId: REQUEST_ID,
          selfServiceGrantToken: FORGED,
          selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
        }),
      );
      expect(checks()[0].body).toMatchObject({
        requestId: REQUEST_ID,
        purpose: 'change',
        parametersHash: hashParameters(parameters),
        token: FORGED,
      });
      expect(error?.message).toContain(
        `terraform:plan: the change grant for request ${REQUEST_ID} was refused, so no Terraform command was run`,
      );
      expect(await readCalls(record)).toEqual([]);
    });

    it('checks template and operation when the step is not given the parameters', async () => {
      const grant = client.mintGrant(REQUEST_ID, 'task-launched');
      const { error } = await runAction(
        createTerraformPlanAction(options()),
        planInput,
        launched(grant.token),
      );
      expect(error).toBeUndefined();
      expect(checks()[0].body).not.toHaveProperty('parametersHash');
      const other = await runAction(
        createTerraformPlanAction(options()),
        planInput,
        {
          ...launched(grant.token),
          templateInfo: {
            ...templateInfo('postgres'),
            entityRef: 'template:default/other',
          },
          workspacePath: dir.resolve('workspace-other'),
        },
      );
      expect(other.error?.message).toContain(
        'templateRef: the grant is bound to',
      );
      expect((await readCalls(record)).map(c => c.argv[0])).toEqual([
        'init',
        'plan',
        'show',
      ]);
    });

    it('refuses a launched run without a token, or without a client to ask', async () => {
      const noToken = await runAction(
        createTerraformPlanAction(options()),
        planInput,
        ctx({ selfServiceRequestId: REQUEST_ID }),
      );
      expect(noToken.error?.message).toContain('carries no grant token');
      const grant = client.mintGrant(REQUEST_ID, 'task-launched');
      const noClient = await runAction(
        createTerraformPlanAction({
          runner: options().runner,
          config: options().config,
        }),
        planInput,
        launched(grant.token),
      );
      expect(noClient.error?.message).toContain(
        'no self-service client to check the grant with',
      );
      expect(await readCalls(record)).toEqual([]);
      expect(checks()).toEqual([]);
    });

    it('asks nothing for a task that names no request', async () => {
      const { error } = await runAction(
        createTerraformPlanAction(options()),
        planInput,
        ctx(undefined, 'task-new'),
      );
      expect(error).toBeUndefined();
      expect(checks()).toEqual([]);
    });
  });

  describe('terraform:destroy', () => {
    beforeEach(() => {
      client.requests.get(REQUEST_ID)!.state = 'destroying';
    });

    it('never reads the request or runs Terraform for a forged token', async () => {
      const { error } = await runAction(
        createTerraformDestroyAction(options()),
        { module: './module', parameters, variables: parameters },
        launched(FORGED, true),
      );
      expect(error?.name).toBe('NotAllowedError');
      expect(error?.message).toContain(
        `terraform:destroy: the destroy grant for request ${REQUEST_ID} was refused, so no Terraform command was run: token:`,
      );
      expect(client.calls.map(c => c.method)).toEqual(['checkGrant']);
      expect(await readCalls(record)).toEqual([]);
    });

    it('refuses an apply grant for a tear-down before planning -destroy', async () => {
      client.requests.get(REQUEST_ID)!.state = 'approved';
      const grant = client.mintGrant(REQUEST_ID, 'task-launched');
      const { error } = await runAction(
        createTerraformDestroyAction(options()),
        { module: './module', parameters, variables: parameters },
        launched(grant.token, true),
      );
      expect(error?.message).toContain('purpose: the grant of request');
      expect(await readCalls(record)).toEqual([]);
      expect(grant.used).toBe(false);
    });

    it('plans -destroy once the destroy grant is checked', async () => {
      const grant = client.mintGrant(REQUEST_ID, 'task-launched', {
        planHash: null,
      });
      const { error } = await runAction(
        createTerraformDestroyAction({
          ...options(),
          runner: standinRunner({ scenario: 'delete', record }),
        }),
        { module: './module', parameters, variables: parameters },
        launched(grant.token, true),
      );
      expect(error).toBeUndefined();
      expect(checks()[0].body).toMatchObject({
        purpose: 'destroy',
        taskId: 'task-launched',
      });
      expect((await readCalls(record)).map(c => c.argv[0])).toEqual([
        'init',
        'plan',
        'show',
        'apply',
      ]);
      expect(grant.used).toBe(true);
    });
  });

  describe('terraform:apply', () => {
    it('never reads back or re-plans for a launched task whose grant the backend refuses', async () => {
      // The directory is prepared (as by a plan step that was not launched).
      const workspace = ctx(undefined, 'task-launched');
      const plan = await runAction(
        createTerraformPlanAction(options()),
        planInput,
        workspace,
      );
      expect(plan.error).toBeUndefined();
      const before = (await readCalls(record)).length;
      const { error } = await runAction(
        createTerraformApplyAction(options()),
        { parameters },
        launched(FORGED),
      );
      expect(error?.message).toContain(
        `terraform:apply: the apply grant for request ${REQUEST_ID} was refused, so no Terraform command was run: token:`,
      );
      expect(await readCalls(record)).toHaveLength(before);
      expect(client.calls.map(c => c.method)).toEqual(['checkGrant']);
    });
  });
});
