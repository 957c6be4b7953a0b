import { SELF_SERVICE_DESTROY_OPERATION } from '@internal/plugin-self-service-common';
import { hashPlanSummary } from '@internal/plugin-self-service-node';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { accessSync, constants, promises as fs } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createRequestAction } from '../actions/request/request';
import { createTerraformApplyAction } from '../actions/terraform/apply';
import { createTerraformDestroyAction } from '../actions/terraform/destroy';
import { createTerraformPlanAction } from '../actions/terraform/plan';
import { FakeSelfServiceClient } from '../__testUtils__/fakes';
import { mockAuth, runAction } from '../__testUtils__/runAction';
import { templateInfo, terraformConfig } from '../__testUtils__/terraform';
import { LocalTerraformRunner } from './LocalTerraformRunner';

/** The first `terraform` or `tofu` executable on PATH. */
function findBinary(): string | undefined {
  for (const name of ['terraform', 'tofu']) {
    for (const dir of (process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const binary = findBinary();
if (!binary) {
  // eslint-disable-next-line no-console
  console.warn(
    'SKIPPED the real-binary Terraform test: neither terraform nor tofu is on PATH',
  );
}
const describeReal = binary ? describe : describe.skip;

describeReal(
  `with a real ${binary ?? 'terraform/tofu (none on PATH: skipped)'}`,
  () => {
    const dir = createMockDirectory();
    jest.setTimeout(120_000);

    it('plans, applies, re-plans as no-op and destroys a terraform_data module; the secret stays out', async () => {
      const config = terraformConfig(dir.path, {
        binary: binary!,
        inheritEnvironment: ['PATH', 'HOME', 'TF_*'],
      });
      const runner = LocalTerraformRunner.fromConfig(config);
      const client = new FakeSelfServiceClient();
      const secret = 'Real-Binary-Secret-5e6f';
      const variables = { name: 'x"; ${foo} $(id)\n../..', password: secret };
      const tags = {
        team: 'team-a',
        environment: 'dev',
        'request-key': 'task-real',
      };
      const ctx = {
        workspacePath: dir.resolve('workspace'),
        templateInfo: templateInfo('terraform-data'),
        taskId: 'task-real',
      };
      const plan = await runAction(
        createTerraformPlanAction({ runner, config }),
        { module: './module', variables, tags },
        ctx,
      );
      expect(plan.error).toBeUndefined();
      expect(plan.outputs.planSummary.counts).toEqual({
        create: 2,
        update: 0,
        delete: 0,
        replace: 0,
      });
      expect(
        plan.outputs.planSummary.resources.find(
          (r: any) => r.address === 'terraform_data.db',
        ).changes,
      ).toContainEqual({
        path: 'input.name',
        after: variables.name,
      });

      const parameters = { name: 'x' };
      const request = await runAction(
        createRequestAction({
          client,
          auth: mockAuth(),
          appBaseUrl: 'http://localhost:3000',
        }),
        {
          parameters,
          team: 'team-a',
          environment: 'dev',
          cost: plan.outputs.cost,
          planSummary: plan.outputs.planSummary,
          planHash: plan.outputs.planHash,
        },
        ctx,
      );
      expect(request.outputs.approved).toBe(true);
      const apply = await runAction(
        createTerraformApplyAction({
          runner,
          config,
          client,
          auth: mockAuth(),
        }),
        { parameters },
        ctx,
      );
      expect(apply.error).toBeUndefined();
      expect(apply.outputs.outputs).toEqual({
        name: { name: variables.name, tags },
      });
      const state = join(
        dir.path,
        'state',
        'team-a',
        'postgres-database',
        'task-real',
        'terraform.tfstate',
      );
      expect(
        JSON.parse(await fs.readFile(state, 'utf8')).resources,
      ).toHaveLength(2);
      for (const text of [
        plan.log,
        apply.log,
        JSON.stringify(plan.outputs),
        JSON.stringify(apply.outputs),
      ]) {
        expect(text).not.toContain(secret);
      }

      const again = await runAction(
        createTerraformPlanAction({ runner, config }),
        { module: './module', variables, tags },
        {
          ...ctx,
          workspacePath: dir.resolve('workspace-2'),
        },
      );
      expect(again.outputs.hasChanges).toBe(false);

      // The backend starts a tear-down: destroying, with an unbound grant.
      client.requests.get(request.outputs.requestId)!.state = 'destroying';
      const grant = client.mintGrant(
        request.outputs.requestId,
        'task-destroy',
        { planHash: null },
      );
      const destroy = await runAction(
        createTerraformDestroyAction({
          runner,
          config,
          client,
          auth: mockAuth(),
        }),
        { module: './module', parameters, variables, tags },
        {
          ...ctx,
          workspacePath: dir.resolve('workspace-3'),
          taskId: 'task-destroy',
          secrets: {
            selfServiceRequestId: request.outputs.requestId,
            selfServiceGrantToken: grant.token,
            selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION,
          },
        },
      );
      expect(destroy.error).toBeUndefined();
      expect(destroy.outputs.destroyed).toBe(2);
      expect(destroy.log).not.toContain(secret);
    });
    /** Plans `module`, records the request (auto-approved) and applies it. */
    async function planAndApply(
      module: string,
      variables: Record<string, unknown>,
      requestKey: string,
    ) {
      const config = terraformConfig(dir.path, {
        binary: binary!,
        inheritEnvironment: ['PATH', 'HOME', 'TF_*'],
      });
      const runner = LocalTerraformRunner.fromConfig(config);
      const client = new FakeSelfServiceClient();
      const tags = {
        team: 'team-a',
        environment: 'dev',
        'request-key': requestKey,
      };
      const ctx = {
        workspacePath: dir.resolve(`workspace-${requestKey}-1`),
        templateInfo: templateInfo('terraform-data'),
        taskId: requestKey,
      };
      const plan = await runAction(
        createTerraformPlanAction({ runner, config }),
        { module, variables, tags },
        ctx,
      );
      expect(plan.error).toBeUndefined();
      const parameters = { name: 'x' };
      const request = await runAction(
        createRequestAction({
          client,
          auth: mockAuth(),
          appBaseUrl: 'http://localhost:3000',
        }),
        {
          parameters,
          team: 'team-a',
          environment: 'dev',
          cost: plan.outputs.cost,
          planSummary: plan.outputs.planSummary,
          planHash: plan.outputs.planHash,
        },
        ctx,
      );
      expect(request.outputs.approved).toBe(true);
      const apply = await runAction(
        createTerraformApplyAction({
          runner,
          config,
          client,
          auth: mockAuth(),
        }),
        { parameters },
        ctx,
      );
      expect(apply.error).toBeUndefined();
      const replan = (again: Record<string, unknown>) =>
        runAction(
          createTerraformPlanAction({ runner, config }),
          { module, variables: again, tags },
          { ...ctx, workspacePath: dir.resolve(`workspace-${requestKey}-2`) },
        );
      return { plan, apply, replan };
    }

    it('shows a sensitive object that becomes unknown masked, numbers included (issue #14)', async () => {
      const password = 'Real-Unknown-Secret-7c8d';
      const pin = 4242;
      const first = await planAndApply(
        './module-credentials',
        { name: 'db-a', password, pin },
        'task-real-unknown',
      );
      const again = await first.replan({ name: 'db-b', password, pin });
      expect(again.error).toBeUndefined();
      const [resource] = again.outputs.planSummary.resources;
      expect(resource).toMatchObject({
        address: 'terraform_data.credentials',
        action: 'update',
      });
      expect(resource.changes).toContainEqual({
        path: 'output',
        before: { name: 'db-a', password: '(sensitive)', pin: '(sensitive)' },
        afterUnknown: true,
      });
      for (const text of [
        first.plan.log,
        first.apply.log,
        again.log,
        JSON.stringify(first.plan.outputs),
        JSON.stringify(again.outputs),
      ]) {
        expect(text).not.toContain(password);
      }
      expect(JSON.stringify(again.outputs.planSummary)).not.toContain('4242');
    });

    it('plans an import block as an import, counted and hashed (issue #14)', async () => {
      const config = terraformConfig(dir.path, {
        binary: binary!,
        inheritEnvironment: ['PATH', 'HOME', 'TF_*'],
      });
      const runner = LocalTerraformRunner.fromConfig(config);
      const plan = await runAction(
        createTerraformPlanAction({ runner, config }),
        {
          module: './module-import',
          variables: {},
          tags: {
            team: 'team-a',
            environment: 'dev',
            'request-key': 'task-real-import',
          },
        },
        {
          workspacePath: dir.resolve('workspace-import'),
          templateInfo: templateInfo('terraform-data'),
          taskId: 'task-real-import',
        },
      );
      expect(plan.error).toBeUndefined();
      const summary = plan.outputs.planSummary;
      expect(summary.counts).toMatchObject({ import: 1 });
      expect(summary.resources).toEqual([
        expect.objectContaining({
          address: 'terraform_data.imported',
          action: 'import',
          importing: true,
          importId: 'existing-object-1',
        }),
      ]);
      expect(plan.outputs.hasChanges).toBe(true);
      expect(plan.outputs.planHash).not.toBe(
        hashPlanSummary({ resources: [] }),
      );
    });
  },
);
