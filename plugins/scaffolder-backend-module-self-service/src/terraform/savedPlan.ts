import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from './redaction';

/**
 * The values terraform:plan learnt to mask (sensitive variables, plan values
 * marked sensitive), kept next to the plan file, which holds them anyway, so
 * an apply that does not read the plan back still masks them.
 */
export const SENSITIVE_VALUES_FILE = 'self-service.sensitive.json';

/**
 * sha256 of a saved plan file's bytes. The plan step's summary describes
 * exactly one file; an auto-approval grant bound to this digest redeems only
 * for that file, so apply can trust the summary without `show`.
 */
export async function digestPlanFile(
  directory: string,
  planFile: string,
): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(join(directory, planFile)))
    .digest('hex');
}

export async function writeSensitiveValues(
  directory: string,
  redactor: Redactor,
): Promise<void> {
  await fs.writeFile(
    join(directory, SENSITIVE_VALUES_FILE),
    JSON.stringify(redactor.values()),
    { mode: 0o600 },
  );
}

/** Adds the plan step's values to `redactor`; none when the file is absent. */
export async function readSensitiveValues(
  directory: string,
  redactor: Redactor,
): Promise<void> {
  let values: unknown;
  try {
    values = JSON.parse(
      await fs.readFile(join(directory, SENSITIVE_VALUES_FILE), 'utf8'),
    );
  } catch {
    return;
  }
  if (Array.isArray(values)) for (const v of values) redactor.add(v);
}
