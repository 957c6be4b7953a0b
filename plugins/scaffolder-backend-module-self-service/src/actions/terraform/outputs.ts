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
