import {
  MAX_RESOURCE_OUTPUT_LENGTH,
  MAX_RESOURCE_OUTPUTS,
  ResourceOutputs,
  resourceOutputsSchema,
} from '@internal/plugin-self-service-common';
import type { TerraformOutputsJson } from '@internal/plugin-self-service-node';
import type { Redactor } from '../../terraform/redaction';

/**
 * The outputs safe to show: sensitive ones are dropped (and their values
 * taught to the redactor, in case they also appear elsewhere).
 */
export function visibleOutputs(
  outputs: TerraformOutputsJson,
  redactor: Redactor,
): Record<string, unknown> {
  for (const output of Object.values(outputs)) {
    if (output.sensitive) redactor.add(output.value);
  }
  const visible: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(outputs)) {
    if (!output.sensitive) visible[name] = redactor.redactValue(output.value);
  }
  return visible;
}

/**
 * The visible outputs flattened to scalars for the request record and the
 * catalog (`resourceOutputsSchema`): nested keys joined with `_`, long
 * strings shortened, at most the allowed number. Undefined when nothing fits.
 */
export function flattenOutputs(
  outputs: Record<string, unknown>,
): ResourceOutputs | undefined {
  const flat: ResourceOutputs = {};
  const visit = (name: string, value: unknown) => {
    if (
      Object.keys(flat).length >= MAX_RESOURCE_OUTPUTS ||
      value === null ||
      value === undefined
    )
      return;
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as object))
        visit(`${name}_${key}`, inner);
      return;
    }
    const key = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    if (typeof value === 'string')
      flat[key] = value.slice(0, MAX_RESOURCE_OUTPUT_LENGTH);
    else if (typeof value === 'number' || typeof value === 'boolean')
      flat[key] = value;
  };
  for (const [name, value] of Object.entries(outputs)) visit(name, value);
  const parsed = resourceOutputsSchema.safeParse(flat);
  return parsed.success && Object.keys(flat).length ? parsed.data : undefined;
}
