import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import {
  priceParameters,
  pricePlan,
  templateNameOf,
  TerraformPlanJson,
} from '@internal/plugin-self-service-node';
import { promises as fs } from 'node:fs';
import { PriceBookSource, templateRefOf } from '../shared';
import { examples } from './estimate.examples';

/** @public */
export interface CostEstimateActionOptions {
  priceBook?: PriceBookSource;
}

/**
 * `self-service:cost:estimate`: prices a template's parameters, or a saved
 * `terraform show -json` plan, with the price book. What the book cannot
 * price is listed as unpriced, never counted as zero.
 * @public
 */
export function createCostEstimateAction(options: CostEstimateActionOptions) {
  return createTemplateAction({
    id: 'self-service:cost:estimate',
    description:
      "Estimates the monthly cost of a request from the price book: from the template's parameters, or from a Terraform plan (show -json) in the workspace. Unpriced items are listed, never counted as zero.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        parameters: z =>
          z
            .record(z.any())
            .optional()
            .describe(
              'Parameters to price with the template entry of the price book',
            ),
        template: z =>
          z
            .string()
            .optional()
            .describe(
              "Price book template key; defaults to the running template's name",
            ),
        planJsonPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative path of a `terraform show -json` plan to price instead of the parameters',
            ),
      },
      output: {
        cost: z =>
          z
            .record(z.any())
            .describe(
              'The estimate: currency, monthlyTotal, lines, unpriced, priceBookVersion',
            ),
        monthlyTotal: z => z.number().describe('Sum of the priced lines'),
        currency: z => z.string(),
        unpriced: z => z.array(z.string()).describe('What could not be priced'),
      },
    },
    async handler(ctx) {
      if (!options.priceBook) {
        throw new InputError(
          'No price book is configured (selfService.priceBook.path)',
        );
      }
      const book = await options.priceBook.load();
      let cost;
      if (ctx.input.planJsonPath) {
        const file = resolveSafeChildPath(
          ctx.workspacePath,
          ctx.input.planJsonPath,
        );
        let plan: TerraformPlanJson;
        try {
          plan = JSON.parse(await fs.readFile(file, 'utf8'));
        } catch (e) {
          throw new InputError(
            `cannot read the plan ${ctx.input.planJsonPath}: ${(e as Error).message}`,
          );
        }
        cost = pricePlan(book, plan);
      } else {
        const template =
          ctx.input.template ?? templateNameOf(templateRefOf(ctx));
        cost = priceParameters(
          book,
          template,
          (ctx.input.parameters ?? {}) as Record<string, unknown>,
        );
      }
      ctx.logger.info(
        `Estimated ${cost.currency} ${cost.monthlyTotal.toFixed(2)} per month (price book ${cost.priceBookVersion})${
          cost.unpriced.length
            ? `; not priced: ${cost.unpriced.join(', ')}`
            : ''
        }`,
      );
      ctx.output('cost', cost as unknown as JsonObject);
      ctx.output('monthlyTotal', cost.monthlyTotal);
      ctx.output('currency', cost.currency);
      ctx.output('unpriced', cost.unpriced);
    },
  });
}
