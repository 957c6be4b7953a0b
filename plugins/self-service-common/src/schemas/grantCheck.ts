import { z } from 'zod';
import { entityRefSchema } from './approval';

const sha256Hex = z
  .string()
  .regex(/^[a-f0-9]{64}$/, 'must be a sha256 hex digest');

/**
 * Body of `POST /grants/check`: what a scaffolder task launched for a
 * request claims before it runs any Terraform command. Shaped like the body
 * of `POST /grants/redeem`; the plan is not known yet, so `planHash` is
 * optional, and a plan step that is not given the template parameters may
 * leave `parametersHash` out (redeem still checks them before anything
 * changes). Nothing is redeemed.
 * @public
 */
export const checkGrantBodySchema = z
  .object({
    requestId: z.uuid(),
    templateRef: entityRefSchema,
    parametersHash: sha256Hex.optional(),
    planHash: sha256Hex.optional(),
    planFileDigest: sha256Hex.optional(),
    taskId: z.string().min(1).max(200),
    token: z.string().min(16).max(200),
    purpose: z
      .enum(['apply', 'destroy', 'change'])
      .optional()
      .describe(
        "What the task would redeem the grant for ('change': a day-2 change run's ticket); 'apply' when absent",
      ),
  })
  .strict();

/** @public */
export type CheckGrantBody = z.infer<typeof checkGrantBodySchema>;

/**
 * Response of `POST /grants/check`: the grant matched every claimed field,
 * is unredeemed and unexpired, and the request is in a state its purpose
 * allows. `checked` lists the claimed fields that were compared.
 * @public
 */
export interface CheckGrantResponse {
  grantId: string;
  requestId: string;
  purpose: 'apply' | 'destroy' | 'change';
  templateRef: string;
  parametersHash: string;
  /** The approved plan's hash (apply grants only). */
  planHash: string | null;
  /** The scaffolder task the grant is bound to; null until the launch is recorded. */
  taskId: string | null;
  expiresAt: string;
  checked: Array<
    | 'token'
    | 'purpose'
    | 'templateRef'
    | 'parametersHash'
    | 'planHash'
    | 'planFileDigest'
    | 'taskId'
  >;
}
