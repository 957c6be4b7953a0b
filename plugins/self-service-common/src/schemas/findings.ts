import { z } from 'zod';

/** @public */
export const findingSeveritySchema = z.enum([
  'deny',
  'require-approval',
  'warn',
]);

/** @public */
export type FindingSeverity = z.infer<typeof findingSeveritySchema>;

/** One guardrail result: a stable code, a severity and a human message. @public */
export const findingSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(200)
    .describe('Stable machine code, e.g. budget.exceeded'),
  severity: findingSeveritySchema.describe(
    'deny blocks, require-approval adds a stage, warn informs',
  ),
  message: z
    .string()
    .min(1)
    .max(2000)
    .describe('Human message, with numbers where they apply'),
  rule: z
    .string()
    .max(200)
    .optional()
    .describe('The rule that produced the finding'),
  stage: z
    .string()
    .max(100)
    .optional()
    .describe(
      'For require-approval: the name of the approval stage the finding adds',
    ),
});

/** @public */
export type Finding = z.infer<typeof findingSchema>;
