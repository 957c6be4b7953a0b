import {
  isChildPath,
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { TemplateInfo } from '@backstage/plugin-scaffolder-common';
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SENSITIVE_VALUES_FILE } from './savedPlan';

/** The generated variables file; Terraform loads `*.auto.tfvars.json` by itself. */
export const TFVARS_FILE = 'self-service.auto.tfvars.json';
/** Selects the state backend; `-backend-config` then keys it by request. */
export const BACKEND_OVERRIDE_FILE = 'self_service_backend_override.tf.json';
export const PLAN_FILE = 'self-service.tfplan';

/** Whether a path exists in the working directory (no throw). */
export const pathExists = (path: string): Promise<boolean> =>
  fs.access(path).then(
    () => true,
    () => false,
  );

/** Never copied from a template: state, local caches and our generated files. */
const SKIPPED = new Set([
  '.terraform',
  '.git',
  'terraform.tfstate',
  'terraform.tfstate.backup',
  TFVARS_FILE,
  BACKEND_OVERRIDE_FILE,
  PLAN_FILE,
  SENSITIVE_VALUES_FILE,
]);

/**
 * The directory Terraform runs in: `<root>/<task id>/<sub>` when a root is
 * configured, else `<task workspace>/<sub>`. Stays the same for every step of
 * a task, so apply finds what plan prepared.
 */
export function resolveWorkingDirectory(
  ctx: { workspacePath: string; task: { id: string } },
  root: string | undefined,
  subdirectory: string | undefined,
): string {
  const base = root
    ? resolveSafeChildPath(root, ctx.task.id.replace(/[^\w.-]/g, '_'))
    : ctx.workspacePath;
  try {
    return resolveSafeChildPath(base, subdirectory ?? 'terraform');
  } catch {
    throw new InputError(
      `workingDirectory ${JSON.stringify(subdirectory)} is outside the workspace`,
    );
  }
}

function checkModulePath(modulePath: string): void {
  if (!modulePath || modulePath.includes('\0')) {
    throw new InputError('module must be a relative path');
  }
  if (isAbsolute(modulePath) || /^[a-z][a-z0-9+.-]*:/i.test(modulePath)) {
    throw new NotAllowedError(
      `module ${JSON.stringify(modulePath)} must be a path relative to the template's directory`,
    );
  }
}

async function copyTree(
  source: string,
  destination: string,
  root: string,
): Promise<void> {
  await fs.mkdir(destination, { recursive: true });
  for (const entry of await fs.readdir(source, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const from = join(source, entry.name);
    const to = join(destination, entry.name);
    if (entry.isSymbolicLink()) {
      // A link may only point at a file inside the module.
      const target = await fs.realpath(from);
      if (!isChildPath(root, target) || !(await fs.stat(target)).isFile()) {
        throw new NotAllowedError(
          `module file ${entry.name} links outside the module`,
        );
      }
      await fs.copyFile(target, to);
    } else if (entry.isDirectory()) {
      await copyTree(from, to, root);
    } else if (entry.isFile()) {
      await fs.copyFile(from, to);
    }
  }
}

/**
 * With a deployment target configured (`selfService.terraform.target`, e.g.
 * `local`), a template's module `./module` is read from the sibling
 * directory `./module-<target>` when the template has one, so one template
 * can carry its production module and a variant that runs elsewhere (the
 * examples' `local` target needs no cloud). Templates without that variant,
 * and templates not read from files, use their module as written.
 */
export async function moduleForTarget(
  modulePath: string,
  target: string | undefined,
  baseUrl: string | undefined,
): Promise<string> {
  if (!target || !baseUrl?.startsWith('file:')) return modulePath;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(target)) {
    throw new InputError(
      `selfService.terraform.target must be lowercase letters, digits and dashes, not ${JSON.stringify(target)}`,
    );
  }
  const variant = `${modulePath.replace(/\/+$/, '')}-${target}`;
  const basePath = fileURLToPath(baseUrl);
  const baseDir = baseUrl.endsWith('/') ? basePath : dirname(basePath);
  return (await pathExists(resolve(baseDir, variant))) ? variant : modulePath;
}

/**
 * Copies the template's Terraform module into the working directory. The
 * module path is relative to the template's directory (`templateInfo.baseUrl`)
 * and may not leave it, for `file:` locations and for remote ones.
 */
export async function fetchModule(options: {
  templateInfo?: TemplateInfo;
  modulePath: string;
  destination: string;
  reader?: UrlReaderService;
  integrations?: ScmIntegrationRegistry;
  /** `selfService.terraform.target`; see {@link moduleForTarget}. */
  target?: string;
}): Promise<void> {
  const { templateInfo, destination } = options;
  checkModulePath(options.modulePath);
  const modulePath = await moduleForTarget(
    options.modulePath,
    options.target,
    templateInfo?.baseUrl,
  );
  const baseUrl = templateInfo?.baseUrl;
  if (!baseUrl) {
    throw new InputError(
      "the template's location is unknown, so its module cannot be found",
    );
  }
  await fs.rm(destination, { recursive: true, force: true });
  if (baseUrl.startsWith('file:')) {
    const basePath = fileURLToPath(baseUrl);
    const baseDir = baseUrl.endsWith('/') ? basePath : dirname(basePath);
    const moduleDir = resolve(baseDir, modulePath);
    const outside = () =>
      new NotAllowedError(
        `module ${JSON.stringify(modulePath)} is outside the template's directory`,
      );
    if (!isChildPath(baseDir, moduleDir)) throw outside();
    const realBase = await fs.realpath(baseDir);
    const realModule = await fs.realpath(moduleDir).catch(() => {
      throw new InputError(
        `module ${JSON.stringify(modulePath)} does not exist`,
      );
    });
    // Symbolic links must not lead out of the template's directory either.
    if (!isChildPath(realBase, realModule)) throw outside();
    await copyTree(realModule, destination, realModule);
    return;
  }
  if (!options.reader || !options.integrations) {
    throw new InputError(
      `cannot read modules from ${baseUrl}: no URL reader configured`,
    );
  }
  const integration = options.integrations.byUrl(baseUrl);
  if (!integration) {
    throw new InputError(
      `no integration found for the template location ${baseUrl}`,
    );
  }
  const url = integration.resolveUrl({ url: modulePath, base: baseUrl });
  const baseDirUrl = new URL('.', baseUrl);
  const target = new URL(url);
  if (
    target.origin !== baseDirUrl.origin ||
    !target.pathname.startsWith(baseDirUrl.pathname)
  ) {
    throw new NotAllowedError(
      `module ${JSON.stringify(modulePath)} is outside the template's directory`,
    );
  }
  const tree = await options.reader.readTree(url);
  await tree.dir({ targetDir: destination });
}

/** Writes the variables as JSON values (owner-only: they may hold sensitive values). */
export async function writeVariablesFile(
  directory: string,
  values: Record<string, unknown>,
): Promise<void> {
  await fs.writeFile(
    join(directory, TFVARS_FILE),
    `${JSON.stringify(values, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
}

/**
 * Declares the state backend type with an override file, so the module's
 * own backend block (or its absence) cannot send state elsewhere; the
 * per-request location goes in `-backend-config` at init.
 */
export async function writeBackendOverride(
  directory: string,
  backendType: string,
): Promise<void> {
  const config = { terraform: { backend: { [backendType]: {} } } };
  await fs.writeFile(
    join(directory, BACKEND_OVERRIDE_FILE),
    `${JSON.stringify(config, null, 2)}\n`,
  );
}
