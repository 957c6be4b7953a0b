import { NotAllowedError } from '@backstage/errors';
import {
  type ApprovalStage,
  checkTemplate,
  type CostEstimate,
  type CreateRequestBody,
  type Finding,
  type TemplateSpecLike,
} from '@internal/plugin-self-service-common';
import {
  deriveRequirements,
  type GuardrailsConfig,
  readTemplateControls,
  sha256OfCanonicalJson,
} from '@internal/plugin-self-service-node';
import type { CostEstimator } from './estimator';
import type { TemplateSource } from './templates';

/**
 * The backend decides what a request needs. What the `self-service:request`
 * step sends (findings, stages, expiry, the template's steps hash) is a claim
 * by whatever the template wired into it; this re-derives each from facts the
 * backend trusts, so a template that skips, mis-wires or fakes its guardrails
 * step cannot lower the controls:
 * - the template as the catalog holds it: its shape is checked, and its
 *   declared rules, stages, cost ceiling, finance threshold and TTL are read;
 * - the organisation's `selfService.guardrails` config (environment rules,
 *   finance threshold, stage definitions);
 * - the parameters, and the module variables the plan step feeds Terraform;
 * - the cost: the plan's, or the price book's estimate if that is higher.
 * Step inputs may add findings and stages (e.g. from rules registered in
 * code, which only the guardrails step runs); they never remove one.
 */

/** @internal */
export interface AuthorityDeps {
  templates: TemplateSource;
  estimator: CostEstimator;
  guardrails: GuardrailsConfig;
}

/** What the backend changed against the step's claim, for the log. @internal */
export interface Raised {
  stages: string[];
  findings: string[];
}

/** A cost the price book could price at least partly; unknown otherwise. */
function knownTotal(cost: CostEstimate | undefined): number | undefined {
  if (!cost) return undefined;
  const priced =
    cost.lines.some(line => line.monthly !== null) || cost.unpriced.length === 0;
  return priced ? cost.monthlyTotal : undefined;
}

/** The higher of the known costs: a low claim never lowers the bar. */
function costToJudge(costs: Array<CostEstimate | undefined>) {
  const known = costs
    .map(knownTotal)
    .filter((n): n is number => n !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

/**
 * Derived findings first; a claimed finding is kept when the backend did not
 * derive one of that code itself.
 */
function mergeFindings(derived: Finding[], claimed: Finding[]): Finding[] {
  const codes = new Set(derived.map(f => f.code));
  return [...derived, ...claimed.filter(f => !codes.has(f.code))];
}

/**
 * The derived stages, with their own groups (a claimed stage of the same
 * name cannot widen who decides, only raise the quorum), then the stages only
 * the step named; finance stays last, since it decides on the final cost.
 */
function mergeStages(
  derived: ApprovalStage[],
  claimed: ApprovalStage[],
): ApprovalStage[] {
  const byName = new Map(claimed.map(s => [s.name, s]));
  const kept = derived.map(stage => {
    const twin = byName.get(stage.name);
    return twin && twin.quorum > stage.quorum
      ? { ...stage, quorum: twin.quorum }
      : stage;
  });
  const names = new Set(derived.map(s => s.name));
  const extra = claimed.filter(s => !names.has(s.name));
  const finance = kept.filter(s => s.name === 'finance');
  return [...kept.filter(s => s.name !== 'finance'), ...extra, ...finance];
}

/**
 * The TTL the policy gives wins over a claimed one unless the claim is
 * earlier (or within the minute rounding of the step's own clock).
 */
function mergeExpiry(derived?: string, claimed?: string): string | undefined {
  if (!derived) return undefined;
  if (!claimed) return derived;
  const slackMs = 5 * 60 * 1000;
  return Date.parse(claimed) <= Date.parse(derived) + slackMs
    ? claimed
    : derived;
}

/** Returns the request body as the backend will record it. @internal */
export async function authoritativeBody(
  body: CreateRequestBody,
  deps: AuthorityDeps,
  now: Date,
): Promise<{ body: CreateRequestBody; raised: Raised }> {
  const ref = body.templateRef;
  const entity = await deps.templates.getTemplate(ref);
  if (!entity || entity.kind.toLowerCase() !== 'template') {
    throw new NotAllowedError(
      `templateRef: ${ref} is not a Template in the catalog`,
    );
  }
  const spec = (entity.spec ?? {}) as TemplateSpecLike;
  const problems = checkTemplate(spec);
  if (problems.length > 0) {
    throw new NotAllowedError(
      `templateRef: ${ref} cannot gate requests safely:\n${problems
        .map(p => `- ${p.stepId ? `step '${p.stepId}': ` : ''}${p.code}: ${p.message}`)
        .join('\n')}`,
    );
  }
  let controls;
  try {
    controls = readTemplateControls(spec);
  } catch (error) {
    throw new NotAllowedError(
      `templateRef: ${ref} cannot gate requests safely: ${(error as Error).message}`,
    );
  }

  // A price book that cannot price the parameters leaves the plan's cost.
  const estimate = await deps.estimator
    .estimate(ref, body.parameters)
    .catch(() => undefined);
  const derived = deriveRequirements({
    controls,
    config: deps.guardrails,
    team: body.team,
    environment: body.environment,
    parameters: body.parameters,
    monthlyCost: costToJudge([body.cost, estimate]),
    currency: body.cost.currency,
    unpriced: body.cost.unpriced,
    now,
  });

  // A plan the price book prices nothing of (e.g. a module of the `local`
  // target, or resource types the book lacks) is recorded, judged and
  // reserved at the book's estimate of the parameters when it has one.
  const cost =
    knownTotal(body.cost) === undefined && knownTotal(estimate) !== undefined
      ? {
          ...estimate!,
          unpriced: [...new Set([...estimate!.unpriced, ...body.cost.unpriced])],
        }
      : body.cost;

  const claimedStages = body.approvalPolicy.stages;
  const stages = mergeStages(derived.stages, claimedStages);
  const findings = mergeFindings(derived.findings, body.findings);
  const claimedNames = new Set(claimedStages.map(s => s.name));
  const claimedCodes = new Set(body.findings.map(f => f.code));
  return {
    body: {
      ...body,
      cost,
      templateUid: entity.metadata.uid ?? body.templateUid,
      // The steps this decision was derived from; apply compares against it.
      templateStepsHash: sha256OfCanonicalJson(spec.steps ?? []),
      findings,
      approvalPolicy: {
        stages,
        allowSelfApprovalOutsideProduction:
          body.approvalPolicy.allowSelfApprovalOutsideProduction &&
          controls.allowSelfApprovalOutsideProduction,
      },
      expiresAt: mergeExpiry(derived.expiresAt, body.expiresAt),
    },
    raised: {
      stages: stages.map(s => s.name).filter(n => !claimedNames.has(n)),
      findings: derived.findings
        .filter(f => f.severity !== 'warn' && !claimedCodes.has(f.code))
        .map(f => f.code),
    },
  };
}
