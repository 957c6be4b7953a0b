import { z } from 'zod';

/** One priced (or unpriced) line of a cost estimate. @public */
export const costLineSchema = z.object({
  item: z.string().describe('What is priced: a resource address or a parameter-derived item'),
  resourceType: z.string().optional(),
  monthly: z.number().nonnegative().nullable().describe('Monthly price; null when not priced'),
  detail: z.string().optional(),
});

/** @public */
export type CostLine = z.infer<typeof costLineSchema>;

/** @public */
export const costEstimateSchema = z.object({
  currency: z.string().min(3).max(3).default('USD'),
  monthlyTotal: z.number().nonnegative().describe('Sum of the priced lines only'),
  lines: z.array(costLineSchema),
  unpriced: z.array(z.string()).describe('Items the price book has no entry for; never counted as zero'),
  priceBookVersion: z.string().optional(),
  deltaMonthly: z.number().optional().describe('Change against what exists now, from a plan'),
});

/** @public */
export type CostEstimate = z.infer<typeof costEstimateSchema>;
