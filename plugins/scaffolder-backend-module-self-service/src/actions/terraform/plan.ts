import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { pricePlan, PriceBook } from '@internal/plugin-self-service-node';
import { relative } from 'node:path';
import {
  planAndSummarize,
  prepareWorkingDirectory,
} from '../../terraform/prepare';
import { Redactor, redactingLogger } from '../../terraform/redaction';
import {
  digestPlanFile,
  writeSensitiveValues,
} from '../../terraform/savedPlan';
import {
  describePlanCounts,
  planHasChanges,
} from '../../terraform/planSummary';
import { PLAN_FILE } from '../../terraform/workspace';
import { launchedGrant } from '../shared';
import { checkGrantBeforeTerraform } from './check';
import { examples } from './plan.examples';
import { moduleInputs, type PlanActionOptions } from './options';

const NO_PRICE_BOOK: PriceBook = {
  version: 'none',
  currency: 'USD',
  hoursPerMonth: 730,
  templates: {},
  resources: {},
};

/**
 * `terraform:plan`: copies the template's module into the workspace, writes
 * the variables, plans with state keyed by request, and outputs the plan
 * summary, its hash and its cost. Changes nothing outside the workspace and
 * the (empty or existing) state. In a task that names a request in its
 * secrets (a run the backend launched, or one pretending to be), the backend
 * first checks the grant those secrets carry; without a client to ask, or on
 * a refusal, no Terraform command runs.
 * @public
 */
export function createTerraformPlanAction(options: PlanActionOptions) {
  return createTemplateAction({
    id: 'terraform:plan',
    description:
      "Plans the template's Terraform module with the submitted variables (state keyed by request) and outputs the plan summary, its hash and its monthly cost.",
    examples,
    schema: {
      input: {
        ...moduleInputs,
        parameters: z =>
          z
            .record(z.any())
            .optional()
            .describe(
              'The template parameters; a run launched for a request then has its grant checked against them too before Terraform runs',
            ),
      },
      output: {
        planSummary: z =>
          z
            .record(z.any())
            .describe(
              'Per-resource actions and attribute changes, sensitive values redacted',
            ),
        planHash: z =>
          z
            .string()
            .describe('sha256 of the change set, compared again at apply time'),
        planFileDigest: z =>
          z
            .string()
            .describe(
              'sha256 of the saved plan file; pass it to self-service:request so an auto-approved apply uses exactly this file',
            ),
        cost: z =>
          z
            .record(z.any())
            .describe(
              'Monthly cost from the plan (CostEstimate); unpriced resources listed',
            ),
        hasChanges: z =>
          z.boolean().describe('False when the plan changes nothing'),
        workingDirectory: z =>
          z
            .string()
            .describe('Where the plan was made, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const redactor = new Redactor();
      const logger = redactingLogger(ctx.logger, redactor);
      const launched = launchedGrant(ctx.secrets);
      if (launched) {
        await checkGrantBeforeTerraform({
          ctx,
          client: options.client,
          auth: options.auth,
          grant: launched,
          operation: launched.operation,
          parameters: ctx.input.parameters as
            Record<string, unknown> | undefined,
          action: 'terraform:plan',
          logger,
        });
      }
      const directory = await prepareWorkingDirectory({
        ctx,
        input: ctx.input,
        config: options.config,
        runner: options.runner,
        logger,
        redactor,
        reader: options.reader,
        integrations: options.integrations,
      });
      const { plan, summary, planHash } = await planAndSummarize({
        runner: options.runner,
        directory,
        planFile: PLAN_FILE,
        logger,
        signal: ctx.signal,
        redactor,
      });
      const planFileDigest = await digestPlanFile(directory, PLAN_FILE);
      await writeSensitiveValues(directory, redactor);
      const book = options.priceBook
        ? await options.priceBook.load()
        : NO_PRICE_BOOK;
      const cost = redactor.redactValue(pricePlan(book, plan));
      // imports, moves, provider actions and deferred changes count too
      const hasChanges = planHasChanges(summary);
      logger.info(
        `Plan: ${describePlanCounts(summary)}; ${cost.currency} ${cost.monthlyTotal.toFixed(2)} per month${
          cost.unpriced.length
            ? ` (not priced: ${cost.unpriced.join(', ')})`
            : ''
        }; plan hash ${planHash}`,
      );
      ctx.output('planSummary', summary as unknown as JsonObject);
      ctx.output('planHash', planHash);
      ctx.output('planFileDigest', planFileDigest);
      ctx.output('cost', cost as unknown as JsonObject);
      ctx.output('hasChanges', hasChanges);
      ctx.output(
        'workingDirectory',
        relative(ctx.workspacePath, directory) || '.',
      );
    },
  });
}
