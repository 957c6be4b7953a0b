import { z } from 'zod';

/** Terraform change actions as summarised for people. @public */
export const planActionSchema = z.enum([
  'create',
  'update',
  'delete',
  'replace',
  'read',
  'no-op',
]);

/** @public */
export type PlanAction = z.infer<typeof planActionSchema>;

/** One attribute change; sensitive values are replaced by the string "(sensitive)". @public */
export const attributeChangeSchema = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  afterUnknown: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  forcesReplacement: z
    .boolean()
    .optional()
    .describe('Changing this attribute makes Terraform replace the resource'),
});

/** @public */
export type AttributeChange = z.infer<typeof attributeChangeSchema>;

/** @public */
export const resourceChangeSummarySchema = z.object({
  address: z.string(),
  type: z.string(),
  name: z.string().optional(),
  moduleAddress: z.string().optional(),
  mode: z.enum(['managed', 'data']).default('managed'),
  action: planActionSchema,
  reason: z
    .string()
    .optional()
    .describe("Terraform's action_reason, e.g. replace_because_cannot_update"),
  changes: z.array(attributeChangeSchema).default([]),
});

/** @public */
export type ResourceChangeSummary = z.infer<typeof resourceChangeSummarySchema>;

/** A plan summary as stored on a request and shown to approvers. @public */
export const planSummarySchema = z.object({
  terraformVersion: z.string().optional(),
  counts: z.object({
    create: z.number().int().nonnegative(),
    update: z.number().int().nonnegative(),
    delete: z.number().int().nonnegative(),
    replace: z.number().int().nonnegative(),
  }),
  resources: z.array(resourceChangeSummarySchema),
  drift: z.array(resourceChangeSummarySchema).default([]),
});

/** @public */
export type PlanSummary = z.infer<typeof planSummarySchema>;
