import { z } from 'zod';

/** Most outputs one resource may report; more is a module bug, not data. @public */
export const MAX_RESOURCE_OUTPUTS = 50;

/** Longest string value of one output. @public */
export const MAX_RESOURCE_OUTPUT_LENGTH = 2000;

/**
 * The non-sensitive Terraform outputs of a provisioned resource, flattened to
 * scalars, as `terraform:apply` reports them and the catalog shows them.
 * Sensitive outputs never get here: the action drops them before reporting.
 * @public
 */
export const resourceOutputsSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'output names are 1-64 letters, digits, _ or -'),
    z.union([z.string().max(MAX_RESOURCE_OUTPUT_LENGTH), z.number(), z.boolean()]),
  )
  .refine(outputs => Object.keys(outputs).length <= MAX_RESOURCE_OUTPUTS, {
    message: `at most ${MAX_RESOURCE_OUTPUTS} outputs`,
  });

/** @public */
export type ResourceOutputs = z.infer<typeof resourceOutputsSchema>;
