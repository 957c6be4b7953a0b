import { InputError } from '@backstage/errors';
import type { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names each failing field by its path, e.g. `cost.monthlyTotal: ...`. */
function describe(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Parses a body or query with a shared schema; a failure is an InputError
 * (400) whose message names every offending field.
 * @internal
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: 'body' | 'query',
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${describe(result.error)}`);
  }
  return result.data;
}

/** Request ids are uuids; anything else is a 400, not a database error. @internal */
export function parseRequestId(id: string, field = 'id'): string {
  if (!UUID.test(id)) {
    throw new InputError(`${field}: '${id.slice(0, 80)}' is not a request id (uuid)`);
  }
  return id.toLowerCase();
}
