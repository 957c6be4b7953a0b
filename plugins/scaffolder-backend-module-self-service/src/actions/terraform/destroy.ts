import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { initiatorToken } from '../../client';
import {
  planAndSummarize,
  prepareWorkingDirectory,
} from '../../terraform/prepare';
import { Redactor, redactingLogger } from '../../terraform/redaction';
import { resolveWorkingDirectory } from '../../terraform/workspace';
import { templateRefOf } from '../shared';
import { requirePreparedDirectory } from './apply';
import { checkGrantBeforeTerraform } from './check';
import { examples } from './destroy.examples';
import { resolveGrant } from './grant';
import { redeemGrantOnce } from './redeem';
import { GrantedTerraformActionOptions, moduleInputs } from './options';
import { reportOutcome } from './report';

const DESTROY_PLAN_FILE = 'self-service-destroy.tfplan';
const TEAR_DOWN_ACTIONS = new Set(['delete', 'no-op', 'read']);

/**
 * `terraform:destroy`: tears down a request's resources. Like apply it needs
 * a grant; it plans with `-destroy` against the request's state, refuses a
 * plan that would create or change anything, and applies that plan.
 * @public
 */
export function createTerraformDestroyAction(
  options: GrantedTerraformActionOptions,
) {
  const { client, auth, runner } = options;
  return createTemplateAction({
    id: 'terraform:destroy',
    description:
      "Destroys a request's Terraform resources: needs a grant, plans with -destroy against the request's state, refuses anything but deletions, and applies.",
    examples,
    schema: {
      input: {
        ...moduleInputs,
        module: z =>
          z
            .string()
            .optional()
            .describe(
              "Path of the Terraform module, relative to the template's directory; without it, the directory terraform:plan prepared earlier in this task is used",
            ),
        parameters: z =>
          z
            .record(z.any())
            .describe('The template parameters the request was approved with'),
        requestId: z =>
          z
            .string()
            .optional()
            .describe('The request; launched tasks take it from their secrets'),
        grantToken: z =>
          z
            .string()
            .optional()
            .describe('A grant token, when not given as a task secret'),
      },
      output: {
        planSummary: z =>
          z
            .record(z.any())
            .describe('The destroy plan, sensitive values redacted'),
        planHash: z => z.string(),
        destroyed: z =>
          z.number().describe('How many resources were destroyed'),
      },
    },
    async handler(ctx) {
      const redactor = new Redactor();
      const logger = redactingLogger(ctx.logger, redactor);
      const grant = resolveGrant(ctx);
      const templateRef = templateRefOf(ctx);
      if (!ctx.input.parameters)
        throw new InputError('parameters are required to bind the grant');
      // Before any Terraform command, and before the request is read for
      // its state key: only a task holding the request's destroy grant may
      // plan against that state.
      await checkGrantBeforeTerraform({
        ctx,
        client,
        auth,
        grant,
        operation: 'destroy',
        parameters: ctx.input.parameters,
        action: 'terraform:destroy',
        logger,
      });

      const { module } = ctx.input;
      let { team, requestKey } = ctx.input;
      if (module && (!requestKey || !team)) {
        // The state is keyed by the task that first planned the resource.
        const request = await client.getRequest(grant.requestId, {
          token: await initiatorToken(auth, ctx),
        });
        requestKey ??= request.stateKey ?? request.taskIds[0];
        team ??= request.team;
      }
      // In a template's tear-down run, terraform:plan already prepared the
      // module with the request's state key (as for terraform:apply).
      const directory = module
        ? await prepareWorkingDirectory({
            ctx,
            input: { ...ctx.input, module, team, requestKey },
            config: options.config,
            runner,
            logger,
            redactor,
            reader: options.reader,
            integrations: options.integrations,
          })
        : resolveWorkingDirectory(
            ctx,
            options.config.workingDirectoryRoot,
            ctx.input.workingDirectory,
          );
      if (!module) {
        await requirePreparedDirectory(directory, 'terraform:destroy');
      }
      const { summary, planHash } = await planAndSummarize({
        runner,
        directory,
        planFile: DESTROY_PLAN_FILE,
        destroy: true,
        logger,
        signal: ctx.signal,
        redactor,
      });
      const unexpected = summary.resources.filter(
        r => !TEAR_DOWN_ACTIONS.has(r.action),
      );
      if (unexpected.length) {
        throw new NotAllowedError(
          `The destroy plan would also ${unexpected.map(r => `${r.action} ${r.address}`).join(', ')}; nothing was destroyed`,
        );
      }
      await redeemGrantOnce({
        ctx,
        client,
        auth,
        grant,
        templateRef,
        planHash,
        outcome: 'destroyed',
        keyPrefix: 'self-service-redeem-destroy',
      });
      // The backend moved the request to destroying when it minted the
      // destroy grant and launched this task; only the outcome is reported.
      const report = { client, auth, logger };
      try {
        await ctx.checkpoint({
          key: `terraform-destroy-${grant.requestId}`,
          fn: async () => {
            await runner.apply(
              { workingDirectory: directory, logger, signal: ctx.signal },
              { planFile: DESTROY_PLAN_FILE },
            );
          },
        });
      } catch (e) {
        await reportOutcome(report, grant.requestId, {
          state: 'failed',
          taskId: ctx.task.id,
          reason: redactor.redact((e as Error).message).slice(0, 4000),
        });
        throw e;
      }
      await reportOutcome(report, grant.requestId, {
        state: 'destroyed',
        taskId: ctx.task.id,
      });
      ctx.output('planSummary', summary as unknown as JsonObject);
      ctx.output('planHash', planHash);
      ctx.output('destroyed', summary.counts.delete);
    },
  });
}
