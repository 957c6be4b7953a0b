import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { planHashMatches } from '@internal/plugin-self-service-node';
import type { TerraformRunner } from '@internal/plugin-self-service-node';
import { join } from 'node:path';
import { initiatorToken, type SelfServiceActionsClient } from '../../client';
import { diffPlanSummaries } from '../../terraform/planDiff';
import { planAndSummarize, summarizeSavedPlan } from '../../terraform/prepare';
import type { Redactor } from '../../terraform/redaction';
import { digestPlanFile, readSensitiveValues } from '../../terraform/savedPlan';
import { PLAN_FILE, pathExists } from '../../terraform/workspace';
import type { Grant } from './grant';
import { reportOutcome } from './report';

/** Where apply plans when terraform:plan saved no plan in this task. */
const APPLY_PLAN_FILE = 'self-service-apply.tfplan';

/** The plan file apply may apply, and the change set it holds. */
export interface PlanToApply {
  planFile: string;
  planHash: string;
  /** sha256 of the file, which redeem checks against a bound grant. */
  planFileDigest: string;
}

/**
 * Auto-approval in this task: the request step recorded the plan step's
 * summary together with the digest of the plan file it summarised, and the
 * backend bound the grant to that digest. When the saved file still has that
 * digest, its change set is the recorded one and needs no `show`; anything
 * else (another file, a forged grant file) falls through to the full check,
 * and redeem refuses a file the grant is not bound to in any case.
 */
export async function ownRecordedPlan(
  directory: string,
  grant: Grant,
  expectedHash: string | undefined,
  redactor: Redactor,
): Promise<PlanToApply | undefined> {
  if (grant.source !== 'request step' || !grant.planFileDigest)
    return undefined;
  if (!grant.planHash || (expectedHash && expectedHash !== grant.planHash))
    return undefined;
  // Both reads at once. The values terraform:plan masked are learnt even
  // when the file turns out not to be the recorded one: masking more is
  // harmless, and apply's log and outputs must mask them either way.
  const [planFileDigest] = await Promise.all([
    digestPlanFile(directory, PLAN_FILE).catch(() => undefined),
    readSensitiveValues(directory, redactor),
  ]);
  if (!planFileDigest || planFileDigest !== grant.planFileDigest)
    return undefined;
  return { planFile: PLAN_FILE, planHash: grant.planHash, planFileDigest };
}

/**
 * Every other case, above all a run launched after approval: the plan that
 * terraform:plan saved earlier in this task (made now, against the live
 * state) is read back and compared with the approved plan; without a saved
 * plan, apply plans here. On any difference nothing is applied: the request
 * is reported failed with the differences and a ConflictError is thrown.
 */
export async function checkAgainstApproved(options: {
  ctx: {
    task: { id: string };
    signal?: AbortSignal;
    getInitiatorCredentials(): Promise<any>;
    output(name: 'differences', value: string[]): void;
  };
  client: SelfServiceActionsClient;
  auth: AuthService;
  runner: TerraformRunner;
  directory: string;
  grant: Grant;
  templateRef: string;
  expectedHash: string | undefined;
  logger: LoggerService;
  redactor: Redactor;
}): Promise<PlanToApply> {
  const { ctx, client, auth, grant, logger } = options;
  const request = await client.getRequest(grant.requestId, {
    token: await initiatorToken(auth, ctx),
  });
  if (request.templateRef !== options.templateRef) {
    throw new NotAllowedError(
      `request ${grant.requestId} is for ${request.templateRef}, not ${options.templateRef}`,
    );
  }
  if (!request.planSummary) {
    throw new NotAllowedError(
      `request ${grant.requestId} has no approved plan`,
    );
  }
  // Terraform refuses a saved plan whose state moved on since, so applying
  // the saved plan needs no second plan and refresh.
  const saved = await pathExists(join(options.directory, PLAN_FILE));
  const planFile = saved ? PLAN_FILE : APPLY_PLAN_FILE;
  logger.info(
    `${saved ? "Comparing this task's saved plan" : 'Re-planning to compare'} with the plan approved for request ${grant.requestId} (grant from ${grant.source})`,
  );
  const planOptions = {
    runner: options.runner,
    directory: options.directory,
    planFile,
    logger,
    signal: ctx.signal,
    redactor: options.redactor,
  };
  const { summary, planHash } = saved
    ? await summarizeSavedPlan(planOptions)
    : await planAndSummarize(planOptions);
  if (
    !planHashMatches(request.planSummary, planHash) ||
    (options.expectedHash && options.expectedHash !== planHash)
  ) {
    const differences = diffPlanSummaries(request.planSummary, summary);
    if (!differences.length)
      differences.push('the plan hash differs from the expected one');
    ctx.output('differences', differences);
    await reportOutcome({ client, auth, logger }, grant.requestId, {
      state: 'failed',
      taskId: ctx.task.id,
      reason: `plan drifted: ${differences.join('; ')}`.slice(0, 4000),
    });
    throw new ConflictError(
      `The plan differs from the approved plan, so nothing was applied:\n${differences
        .map(d => `- ${d}`)
        .join('\n')}`,
    );
  }
  return {
    planFile,
    planHash,
    planFileDigest: await digestPlanFile(options.directory, planFile),
  };
}
