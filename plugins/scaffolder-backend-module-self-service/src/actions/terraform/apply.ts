import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { join } from 'node:path';
import { Redactor, redactingLogger } from '../../terraform/redaction';
import {
  pathExists,
  resolveWorkingDirectory,
  TFVARS_FILE,
} from '../../terraform/workspace';
import { templateRefOf } from '../shared';
import { examples } from './apply.examples';
import { checkAgainstApproved, ownRecordedPlan } from './approvedPlan';
import { checkGrantBeforeTerraform } from './check';
import { resolveGrant } from './grant';
import { redeemGrantOnce } from './redeem';
import { GrantedTerraformActionOptions } from './options';
import { flattenOutputs, visibleOutputs } from './outputs';
import { reportOutcome } from './report';

/** Refuses unless terraform:plan prepared the directory in this task. */
export async function requirePreparedDirectory(
  directory: string,
  action: string,
) {
  const ready = await Promise.all([
    pathExists(join(directory, TFVARS_FILE)),
    pathExists(join(directory, '.terraform')),
  ]);
  if (!ready.every(Boolean)) {
    throw new InputError(
      `${action} needs terraform:plan to have run earlier in this task`,
    );
  }
}

/**
 * `terraform:apply`: redeems the request's single-use grant and applies the
 * plan made in this task (by terraform:plan, else here) only when its change
 * set is the approved one; outputs the module's non-sensitive outputs.
 * @public
 */
export function createTerraformApplyAction(
  options: GrantedTerraformActionOptions,
) {
  const { client, auth, runner } = options;
  return createTemplateAction({
    id: 'terraform:apply',
    description:
      "Applies the request's Terraform plan: needs a grant (auto-approval, or launched after approval), refuses when the plan made in this task differs from the approved plan, applies that saved plan, and outputs the non-sensitive Terraform outputs.",
    examples,
    schema: {
      input: {
        parameters: z =>
          z
            .record(z.any())
            .describe(
              'The template parameters, exactly as given to self-service:request',
            ),
        requestId: z =>
          z
            .string()
            .optional()
            .describe(
              'The request (from self-service:request); launched tasks take it from their secrets',
            ),
        grantToken: z =>
          z
            .string()
            .optional()
            .describe(
              'A grant token; by default the one self-service:request holds for this task',
            ),
        planHash: z =>
          z
            .string()
            .optional()
            .describe(
              'Also require the re-plan to match this hash (e.g. the plan step output)',
            ),
        workingDirectory: z =>
          z
            .string()
            .optional()
            .describe('The directory terraform:plan used (default terraform)'),
      },
      output: {
        outputs: z =>
          z
            .record(z.any())
            .describe('Terraform outputs, sensitive ones left out'),
        planHash: z => z.string().describe('Hash of the applied change set'),
        requestId: z => z.string(),
        differences: z =>
          z
            .array(z.string())
            .optional()
            .describe('Why the plan was refused, when it was'),
      },
    },
    async handler(ctx) {
      const redactor = new Redactor();
      const logger = redactingLogger(ctx.logger, redactor);
      const directory = resolveWorkingDirectory(
        ctx,
        options.config.workingDirectoryRoot,
        ctx.input.workingDirectory,
      );
      await requirePreparedDirectory(directory, 'terraform:apply');
      const grant = resolveGrant(ctx);
      const templateRef = templateRefOf(ctx);
      if (!ctx.input.parameters)
        throw new InputError('parameters are required to bind the grant');

      const own = await ownRecordedPlan(
        directory,
        grant,
        ctx.input.planHash,
        redactor,
      );
      // A grant this task did not get from its own request step (launched
      // runs, step inputs) is checked before `show` or `plan` reads the
      // request's state.
      if (!own && grant.source !== 'request step') {
        await checkGrantBeforeTerraform({
          ctx,
          client,
          auth,
          grant,
          operation: 'apply',
          parameters: ctx.input.parameters,
          action: 'terraform:apply',
          logger,
        });
      }
      const plan =
        own ??
        (await checkAgainstApproved({
          ctx,
          client,
          auth,
          runner,
          directory,
          grant,
          templateRef,
          expectedHash: ctx.input.planHash,
          logger,
          redactor,
        }));
      const { planFile, planHash } = plan;

      await redeemGrantOnce({
        ctx,
        client,
        auth,
        grant,
        templateRef,
        planHash,
        planFileDigest: plan.planFileDigest,
        outcome: 'applied',
        keyPrefix: 'self-service-redeem',
      });
      // One line: every log line is a write to the task's event log.
      logger.info(
        own
          ? `Grant redeemed. Applying the plan file this task saved and recorded with request ${grant.requestId} (sha256 ${own.planFileDigest}, plan ${planHash})`
          : `Grant redeemed. Applying the plan ${planHash}`,
      );

      const context = {
        workingDirectory: directory,
        logger,
        signal: ctx.signal,
      };
      let outputs: Record<string, unknown>;
      try {
        await ctx.checkpoint({
          key: `terraform-apply-${grant.requestId}`,
          fn: async () => {
            await runner.apply(context, { planFile });
          },
        });
        outputs = visibleOutputs(await runner.output(context), redactor);
      } catch (e) {
        await reportOutcome({ client, auth, logger }, grant.requestId, {
          state: 'failed',
          taskId: ctx.task.id,
          reason: redactor.redact((e as Error).message).slice(0, 4000),
        });
        throw e;
      }
      const reported = flattenOutputs(outputs);
      await reportOutcome({ client, auth, logger }, grant.requestId, {
        state: 'succeeded',
        taskId: ctx.task.id,
        ...(reported ? { outputs: reported } : {}),
      });
      ctx.output('outputs', outputs as JsonObject);
      ctx.output('planHash', planHash);
      ctx.output('requestId', grant.requestId);
    },
  });
}
