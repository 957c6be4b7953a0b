import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { TemplateInfo } from '@backstage/plugin-scaffolder-common';
import type { PlanSummary } from '@internal/plugin-self-service-common';
import {
  hashPlanSummary,
  TerraformPlanJson,
  TerraformRunner,
} from '@internal/plugin-self-service-node';
import type { TerraformConfig } from '../config';
import { readModuleVariables } from './moduleVariables';
import { collectSensitiveValues, summarizePlan } from './planSummary';
import { Redactor } from './redaction';
import { isSimulated, markSimulated } from './simulation';
import { backendFor, refSegment } from './stateBackend';
import {
  fetchModule,
  resolveWorkingDirectory,
  writeBackendOverride,
  writeVariablesFile,
} from './workspace';

export interface PrepareInput {
  module: string;
  variables?: Record<string, unknown>;
  tags?: Record<string, string>;
  team?: string;
  requestKey?: string;
  workingDirectory?: string;
}

export interface ActionLikeContext {
  workspacePath: string;
  task: { id: string };
  templateInfo?: TemplateInfo;
  signal?: AbortSignal;
}

/**
 * Copies the module into a fresh working directory, writes the variables
 * (only those the module declares, plus the auto-tags as `tags`) to the
 * generated tfvars file, selects the state backend keyed by request, and runs
 * `init`.
 */
export async function prepareWorkingDirectory(options: {
  ctx: ActionLikeContext;
  input: PrepareInput;
  config: TerraformConfig;
  runner: TerraformRunner;
  logger: LoggerService;
  redactor: Redactor;
  reader?: UrlReaderService;
  integrations?: ScmIntegrationRegistry;
}): Promise<string> {
  const { ctx, input, config, logger, redactor } = options;
  const templateRef = ctx.templateInfo?.entityRef;
  if (!templateRef) throw new InputError('the running template is unknown');
  const team = input.team ?? input.tags?.team;
  const requestKey = input.requestKey ?? input.tags?.['request-key'];
  if (!team || !requestKey) {
    throw new InputError(
      'team and requestKey are needed to key the Terraform state: pass them, or the tags output of self-service:guardrails',
    );
  }
  const directory = resolveWorkingDirectory(
    ctx,
    config.workingDirectoryRoot,
    input.workingDirectory,
  );
  await fetchModule({
    templateInfo: ctx.templateInfo,
    modulePath: input.module,
    destination: directory,
    reader: options.reader,
    integrations: options.integrations,
    target: config.target,
  });
  if (config.simulated) {
    const scenario = await markSimulated(directory, templateRef, config);
    logger.warn(
      `SIMULATED: no Terraform on this host, so the recorded runner replays the "${scenario}" recording; nothing is provisioned`,
    );
  }

  const declared = await readModuleVariables(directory);
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(input.variables ?? {})) {
    if (!declared.has(name)) ignored.push(name);
    else if (value !== undefined) values[name] = value;
  }
  if (input.tags) {
    if (declared.has('tags'))
      values.tags = { ...(values.tags as object), ...input.tags };
    else
      logger.warn(
        'The module declares no `tags` variable, so the auto-tags are not passed to it',
      );
  }
  for (const [name, variable] of declared) {
    if (variable.sensitive) redactor.add(values[name]);
  }
  await writeVariablesFile(directory, values);
  logger.info(
    `Variables for the module: ${Object.keys(values).join(', ') || '(none)'}${
      ignored.length
        ? `; not declared by the module, so not passed: ${ignored.join(', ')}`
        : ''
    }`,
  );

  const backend = backendFor(config, {
    team: refSegment(team, 'group'),
    template: refSegment(templateRef, 'template'),
    requestKey,
  });
  await writeBackendOverride(directory, backend.type);
  await options.runner.init(
    { workingDirectory: directory, logger, signal: ctx.signal },
    { backendConfig: backend.config },
  );
  return directory;
}

/** Plans into `planFile`, reads the plan back and summarises it, redacted. */
export async function planAndSummarize(options: {
  runner: TerraformRunner;
  directory: string;
  planFile: string;
  destroy?: boolean;
  logger: LoggerService;
  signal?: AbortSignal;
  redactor: Redactor;
}): Promise<SummarizedPlan> {
  await options.runner.plan(
    {
      workingDirectory: options.directory,
      logger: options.logger,
      signal: options.signal,
    },
    { planFile: options.planFile, destroy: options.destroy },
  );
  return summarizeSavedPlan(options);
}

/** A saved plan as `show -json` prints it, its redacted summary and hash. */
export interface SummarizedPlan {
  plan: TerraformPlanJson;
  summary: PlanSummary;
  planHash: string;
}

/** Reads a saved plan back (`show -json`) and summarises it, redacted. */
export async function summarizeSavedPlan(options: {
  runner: TerraformRunner;
  directory: string;
  planFile: string;
  logger: LoggerService;
  signal?: AbortSignal;
  redactor: Redactor;
}): Promise<SummarizedPlan> {
  const plan = await options.runner.show(
    {
      workingDirectory: options.directory,
      logger: options.logger,
      signal: options.signal,
    },
    { planFile: options.planFile },
  );
  if (plan.errored)
    throw new InputError('Terraform reported the plan as errored');
  for (const value of collectSensitiveValues(plan)) options.redactor.add(value);
  // Summary values pass the redactor too: a sensitive variable's value may
  // reach an attribute Terraform does not mark sensitive.
  const summary = summarizePlan(plan, { redactor: options.redactor });
  if (await isSimulated(options.directory)) summary.simulated = true;
  if (summary.complete === false) {
    options.logger.warn(
      `The plan is incomplete: Terraform deferred ${summary.deferred?.length ?? 0} change(s) (${(
        summary.deferred ?? []
      )
        .map(d => `${d.address}: ${d.reason}`)
        .join(', ')}) to a later plan; applying it will not finish the change`,
    );
  }
  return { plan, summary, planHash: hashPlanSummary(summary) };
}
