import { z } from 'zod';
import { approvalStageSchema } from './approval';
import { findingSeveritySchema } from './findings';

const scalarSchema = z.union([z.string().max(500), z.number(), z.boolean()]);

/** A parameter path: a name, or dotted names for nested objects (`db.storage_gb`). */
const paramPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z_][\w-]*(\.[\w-]+)*$/,
    'must be a parameter name or dotted path',
  );

/**
 * What a policy rule requires of one parameter. Every operator given must
 * hold. A missing parameter fails the requirement unless `ifPresent` is set,
 * which is how "cannot be turned off" rules let a form omit the field.
 * @public
 */
export const policyRequirementSchema = z.preprocess(
  // `param` is accepted as a short alias of `parameter`.
  value =>
    value &&
    typeof value === 'object' &&
    'param' in value &&
    !('parameter' in value)
      ? (({ param, ...rest }: Record<string, unknown>) => ({
          parameter: param,
          ...rest,
        }))(value as Record<string, unknown>)
      : value,
  z
    .object({
      parameter: paramPathSchema,
      equals: scalarSchema.optional(),
      notEquals: scalarSchema.optional(),
      oneOf: z.array(scalarSchema).min(1).max(100).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      matches: z
        .string()
        .min(1)
        .max(500)
        .optional()
        .describe('A regular expression the value must match'),
      ifPresent: z.boolean().optional().describe('A missing parameter passes'),
      variable: paramPathSchema
        .optional()
        .describe(
          "The Terraform module variable (terraform:plan `variables` key, or a dotted path into one) that carries this parameter; the backend checks the requirement against it too. Defaults to a variable of the parameter's own name.",
        ),
    })
    .strict()
    .refine(
      r =>
        [r.equals, r.notEquals, r.oneOf, r.min, r.max, r.matches].some(
          v => v !== undefined,
        ),
      { message: 'needs one of equals, notEquals, oneOf, min, max, matches' },
    ),
);

/** @public */
export type PolicyRequirement = z.infer<typeof policyRequirementSchema>;

/**
 * A declarative guardrail rule, as written in a template's
 * `self-service:guardrails` step input or registered in code, e.g.
 * `{ id: 'prod-backups', when: { environment: 'production' },
 *    require: { parameter: 'backup_enabled', equals: true } }`.
 * A rule without `require` produces its finding whenever `when` matches
 * (e.g. "production needs a DBA approval").
 * @public
 */
export const policyRuleSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(
        /^[a-z0-9][a-z0-9._-]*$/i,
        'letters, digits, dot, dash, underscore',
      ),
    description: z.string().max(500).optional(),
    when: z
      .record(
        paramPathSchema,
        z.union([scalarSchema, z.array(scalarSchema).min(1)]),
      )
      .optional()
      .describe(
        'The rule applies only when every listed parameter has the value (or one of the values)',
      ),
    require: policyRequirementSchema.optional(),
    severity: findingSeveritySchema.default('deny'),
    message: z.string().min(1).max(1000).optional(),
    stage: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'Named approval stage a require-approval finding adds (default team-lead)',
      ),
    approvers: approvalStageSchema
      .optional()
      .describe('An approval stage defined inline, instead of a named `stage`'),
  })
  .strict()
  .refine(r => r.require !== undefined || r.when !== undefined, {
    message: 'a rule needs `require`, `when`, or both',
  })
  .refine(r => !(r.stage && r.approvers), {
    message: 'give either `stage` or `approvers`, not both',
  });

/** @public */
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** @public */
export type PolicyRuleInput = z.input<typeof policyRuleSchema>;
