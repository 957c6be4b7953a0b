import { z } from 'zod';

/** Terraform change actions as summarised for people. @public */
export const planActionSchema = z.enum([
  'create',
  'update',
  'delete',
  'replace',
  'read',
  'no-op',
  'import',
  'forget',
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
  previousAddress: z
    .string()
    .optional()
    .describe('The address the resource had before a `moved` block moved it'),
  importing: z
    .boolean()
    .optional()
    .describe('An `import` block brings an existing object into the state'),
  importId: z
    .string()
    .optional()
    .describe('The import ID, when Terraform knows it at plan time'),
  sensitiveDigest: z
    .string()
    .optional()
    .describe(
      'Digest of the sensitive values this change sets, never the values: the plan hash covers them',
    ),
});

/** @public */
export type ResourceChangeSummary = z.infer<typeof resourceChangeSummarySchema>;

/** A change Terraform could not plan yet (`deferred_changes`). @public */
export const deferredChangeSchema = z.object({
  address: z.string(),
  action: planActionSchema,
  reason: z
    .string()
    .describe("Terraform's deferral reason, e.g. resource_config_unknown"),
});

/** @public */
export type DeferredChange = z.infer<typeof deferredChangeSchema>;

/** A provider action an apply will invoke (`action_invocations`, Terraform 1.14). @public */
export const actionInvocationSummarySchema = z.object({
  address: z.string(),
  type: z.string(),
  triggeredBy: z
    .string()
    .optional()
    .describe('The resource whose lifecycle event triggers the action'),
  event: z.string().optional().describe('e.g. AfterCreate'),
  config: z
    .array(attributeChangeSchema)
    .default([])
    .describe('The action configuration, sensitive values redacted'),
  sensitiveDigest: z.string().optional(),
});

/** @public */
export type ActionInvocationSummary = z.infer<
  typeof actionInvocationSummarySchema
>;

/** A plan summary as stored on a request and shown to approvers. @public */
export const planSummarySchema = z.object({
  terraformVersion: z.string().optional(),
  counts: z.object({
    create: z.number().int().nonnegative(),
    update: z.number().int().nonnegative(),
    delete: z.number().int().nonnegative(),
    replace: z.number().int().nonnegative(),
    import: z.number().int().nonnegative().optional(),
    forget: z.number().int().nonnegative().optional(),
  }),
  resources: z.array(resourceChangeSummarySchema),
  drift: z.array(resourceChangeSummarySchema).default([]),
  complete: z
    .boolean()
    .optional()
    .describe(
      'false: applying this plan is not the end, Terraform will need another plan and apply (deferred changes)',
    ),
  deferred: z.array(deferredChangeSchema).optional(),
  actionInvocations: z.array(actionInvocationSummarySchema).optional(),
  simulated: z
    .literal(true)
    .optional()
    .describe(
      'replayed by the recorded runner (no Terraform on the host): nothing was or will be provisioned',
    ),
});

/** @public */
export type PlanSummary = z.infer<typeof planSummarySchema>;
