import { z } from 'zod';
import { approvalPolicySchema, entityRefSchema } from './approval';
import { costEstimateSchema } from './cost';
import { findingSchema } from './findings';
import { resourceOutputsSchema } from './outputs';
import { planSummarySchema } from './plan';
import { REQUEST_STATES } from '../state';

/** @public */
export const environmentSchema = z.enum(['dev', 'staging', 'production']);

/** @public */
export type Environment = z.infer<typeof environmentSchema>;

const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'must be a sha256 hex digest');

/**
 * Body of `POST /requests`, sent by the `self-service:request` action on
 * behalf of the requester. Idempotent per (taskId, stepId).
 * @public
 */
export const createRequestBodySchema = z
  .object({
    templateRef: entityRefSchema.describe('The Template entity ref'),
    templateUid: z.string().max(200).optional(),
    templateStepsHash: sha256Hex.describe('Hash of the template steps, to detect edits'),
    parameters: z.record(z.string(), z.unknown()).describe('The submitted template parameters'),
    parametersHash: sha256Hex,
    team: entityRefSchema.describe('Owning team group ref'),
    environment: environmentSchema,
    category: z.string().max(100).optional().describe('Template category for quotas, e.g. database'),
    justification: z.string().max(4000).optional(),
    findings: z.array(findingSchema).default([]),
    cost: costEstimateSchema,
    planSummary: planSummarySchema.optional(),
    planHash: sha256Hex.optional(),
    planFileDigest: sha256Hex
      .optional()
      .describe(
        'sha256 of the saved plan file; an auto-approval grant then redeems only for that exact file',
      ),
    approvalPolicy: approvalPolicySchema,
    expiresAt: z.iso.datetime().optional().describe('Resource expiry (TTL) for non-production'),
    taskId: z.string().min(1).max(200),
    stepId: z.string().min(1).max(200),
    changeOf: z
      .uuid()
      .optional()
      .describe(
        'A day-2 change: the succeeded request whose resource this run changes (from the task secrets the backend launched it with)',
      ),
    changeToken: z
      .string()
      .min(16)
      .max(200)
      .optional()
      .describe('The change ticket the backend launched this run with; single use'),
  })
  .strict();

/** @public */
export type CreateRequestBody = z.infer<typeof createRequestBodySchema>;

/** @public */
export const requestStateSchema = z.enum(REQUEST_STATES);

/** Query of `GET /requests`. @public */
export const listRequestsQuerySchema = z
  .object({
    mine: z.enum(['true', 'false']).optional(),
    state: z.union([requestStateSchema, z.array(requestStateSchema)]).optional(),
    template: entityRefSchema.optional(),
    team: entityRefSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** @public */
export type ListRequestsQuery = z.infer<typeof listRequestsQuerySchema>;

/** Body of `POST /grants/redeem`. @public */
export const redeemGrantBodySchema = z
  .object({
    requestId: z.uuid(),
    templateRef: entityRefSchema,
    parametersHash: sha256Hex,
    planHash: sha256Hex,
    planFileDigest: sha256Hex
      .optional()
      .describe('sha256 of the plan file about to be applied'),
    taskId: z.string().min(1).max(200),
    token: z.string().min(16).max(200).optional(),
    purpose: z
      .enum(['apply', 'destroy'])
      .optional()
      .describe("What the task redeems the grant for; 'apply' when absent"),
  })
  .strict();

/** @public */
export type RedeemGrantBody = z.infer<typeof redeemGrantBodySchema>;

/**
 * Body of `POST /requests/:id/destroy`: starts the tear-down of a succeeded
 * request. The reason is recorded on the event.
 * @public
 */
export const destroyRequestBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

/** @public */
export type DestroyRequestBody = z.infer<typeof destroyRequestBodySchema>;

/**
 * Body of `POST /requests/:id/extend`: asks for `days` more before a
 * non-production resource expires. The backend approves it at once within
 * the environment's limit, else the team leads decide.
 * @public
 */
export const extendRequestBodySchema = z
  .object({
    days: z.number().int().min(1).max(3650),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

/** @public */
export type ExtendRequestBody = z.infer<typeof extendRequestBodySchema>;

/**
 * Body of `POST /requests/:id/changes`: the template parameters a day-2
 * change should give the resource. The backend launches the template's run
 * with them (as the caller) against the resource's existing state; the run
 * plans the update and records the change request.
 * @public
 */
export const changeRequestBodySchema = z
  .object({
    parameters: z.record(z.string(), z.unknown()),
  })
  .strict();

/** @public */
export type ChangeRequestBody = z.infer<typeof changeRequestBodySchema>;

/** Body of `POST /estimate`. @public */
export const estimateBodySchema = z
  .object({
    templateRef: entityRefSchema,
    parameters: z.record(z.string(), z.unknown()),
    team: entityRefSchema.optional(),
  })
  .strict();

/** @public */
export type EstimateBody = z.infer<typeof estimateBodySchema>;

/**
 * Body of `POST /requests/:id/status`, sent by the scaffolder actions to
 * report the outcome of an apply or destroy run (service principal
 * `plugin:scaffolder` only). The backend derives the `from` state and checks
 * the lifecycle table.
 * @public
 */
export const reportStatusBodySchema = z
  .object({
    state: z.enum(['succeeded', 'failed', 'destroying', 'destroyed']),
    taskId: z.string().min(1).max(200).describe('The scaffolder task reporting'),
    reason: z.string().max(4000).optional().describe('Why, for failed (e.g. plan drift)'),
    resourceRefs: z
      .array(entityRefSchema)
      .max(50)
      .optional()
      .describe('Catalog entities registered for the provisioned resources'),
    outputs: resourceOutputsSchema
      .optional()
      .describe('Non-sensitive Terraform outputs of the apply; only with state succeeded'),
  })
  .strict()
  .refine(body => body.outputs === undefined || body.state === 'succeeded', {
    message: 'only a succeeded report carries outputs',
    path: ['outputs'],
  });

/** @public */
export type ReportStatusBody = z.infer<typeof reportStatusBodySchema>;

/** Query of `GET /inbox` and other plain paginated lists. @public */
export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** @public */
export type PageQuery = z.infer<typeof pageQuerySchema>;
