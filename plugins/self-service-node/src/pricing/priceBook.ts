import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A flat price, or a table of prices keyed by the value of `by`. */
const rateSchema = z.union([
  z.number().nonnegative(),
  z.record(z.string(), z.number().nonnegative()),
]);

/**
 * One priced part of a template or resource type, e.g. the instance, the
 * storage, the backups. Exactly one of `monthly` and `hourly` is given; each
 * is either a number or a table keyed by the value of `by`. When `per` names a
 * numeric parameter (or attribute) the price is multiplied by its value.
 * `when` makes the component apply only for the listed values.
 * @public
 */
export const priceComponentSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    when: z
      .record(z.string(), z.union([scalarSchema, z.array(scalarSchema)]))
      .optional(),
    by: z.string().min(1).max(200).optional(),
    per: z.string().min(1).max(200).optional(),
    unit: z.string().max(50).optional(),
    monthly: rateSchema.optional(),
    hourly: rateSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.monthly === undefined) === (c.hourly === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of monthly, hourly',
      });
      return;
    }
    const rate = c.monthly ?? c.hourly;
    const isTable = typeof rate === 'object';
    if (isTable && !c.by) {
      ctx.addIssue({
        code: 'custom',
        path: ['by'],
        message:
          'a price table needs `by`: the parameter or attribute it is keyed by',
      });
    }
    if (!isTable && c.by) {
      ctx.addIssue({
        code: 'custom',
        path: ['by'],
        message: '`by` needs a price table, not a single price',
      });
    }
  });

/** @public */
export type PriceComponent = z.infer<typeof priceComponentSchema>;

/**
 * The price of one template or resource type: `free: true` (priced, at zero)
 * or a list of components.
 * @public
 */
export const priceEntrySchema = z
  .object({
    description: z.string().max(500).optional(),
    free: z.boolean().optional(),
    components: z.array(priceComponentSchema).min(1).optional(),
  })
  .strict()
  .refine(e => (e.free === true) !== (e.components !== undefined), {
    message: 'give either free: true or components',
  });

/** @public */
export type PriceEntry = z.infer<typeof priceEntrySchema>;

/**
 * The price book: versioned YAML kept in git by the platform team.
 * `templates` price a template's form parameters (keyed by template name);
 * `resources` price plan resource changes (keyed by Terraform resource type,
 * components read the resource's attributes).
 * @public
 */
export const priceBookSchema = z
  .object({
    version: z.union([z.string().min(1), z.number()]).transform(String),
    currency: z.string().length(3).default('USD'),
    hoursPerMonth: z.number().positive().default(730),
    templates: z.record(z.string(), priceEntrySchema).default({}),
    resources: z.record(z.string(), priceEntrySchema).default({}),
  })
  .strict();

/** @public */
export type PriceBook = z.infer<typeof priceBookSchema>;

/**
 * Parses and validates price book YAML. Errors are `InputError`s naming the
 * offending field, e.g. `templates.postgres-database.components.0: ...`.
 * @public
 */
export function parsePriceBook(
  yamlText: string,
  source = 'price book',
): PriceBook {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    throw new InputError(
      `${source} is not valid YAML: ${(e as Error).message}`,
    );
  }
  const result = priceBookSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InputError(`${source} is invalid: ${problems}`);
  }
  return result.data;
}

/** Reads and parses a price book file. @public */
export async function loadPriceBook(path: string): Promise<PriceBook> {
  return parsePriceBook(await fs.readFile(path, 'utf8'), path);
}
