import { parse } from '@cdktf/hcl2json';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** A variable the root module declares. */
export interface ModuleVariable {
  sensitive: boolean;
}

/**
 * Reads the `variable` blocks of a root module (`*.tf` through HCL-to-JSON,
 * `*.tf.json` directly), so only declared variables are written to the
 * tfvars file and sensitive ones are known before Terraform runs.
 */
export async function readModuleVariables(
  directory: string,
): Promise<Map<string, ModuleVariable>> {
  const variables = new Map<string, ModuleVariable>();
  const files = (await fs.readdir(directory)).filter(
    f => f.endsWith('.tf') || f.endsWith('.tf.json'),
  );
  for (const file of files.sort()) {
    const text = await fs.readFile(join(directory, file), 'utf8');
    let blocks: Record<string, unknown>;
    try {
      const parsed = file.endsWith('.json')
        ? JSON.parse(text)
        : await parse(file, text);
      blocks = (parsed?.variable ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new InputError(
        `cannot read the module file ${file}: ${(e as Error).message}`,
      );
    }
    for (const [name, declaration] of Object.entries(blocks)) {
      // HCL converts to a list of blocks; .tf.json declares one object.
      const body = (
        Array.isArray(declaration) ? declaration[0] : declaration
      ) as { sensitive?: unknown } | undefined;
      variables.set(name, { sensitive: body?.sensitive === true });
    }
  }
  return variables;
}
