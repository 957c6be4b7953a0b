import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_COST_CENTER,
  ApprovalStage,
  approvalStageSchema,
  CostEstimate,
  Finding,
  PolicyRule,
  TeamUsage,
} from '@internal/plugin-self-service-common';
import {
  evaluateBuiltInGuardrails,
  evaluatePolicyRule,
  GuardrailRule,
  isCodedGuardrailRule,
  parsePolicyRules,
  priceParameters,
  resolveStages,
  templateNameOf,
} from '@internal/plugin-self-service-node';
import { initiatorToken, SelfServiceActionsClient } from '../../client';
import type { GuardrailsConfig } from '../../config';
import { refSegment } from '../../terraform/stateBackend';
import {
  launchedGrant,
  normalizeTeamRef,
  parseEnvironment,
  PriceBookSource,
  templateRefOf,
} from '../shared';
import { examples } from './guardrails.examples';
import { autoTags } from './tags';

/** @public */
export interface GuardrailsActionOptions {
  client: SelfServiceActionsClient;
  auth: AuthService;
  config: GuardrailsConfig;
  priceBook?: PriceBookSource;
  /** Rules registered in code through the guardrails extension point. */
  rules?: GuardrailRule[];
  /** Looks up the team's cost center annotation. */
  catalog?: Pick<CatalogService, 'getEntityByRef'>;
  now?: () => Date;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * `self-service:guardrails`: evaluates quota, budget, cost ceiling,
 * environment rules and policy rules for the submitted parameters; outputs the
 * findings, the approval stages they add, the expiry and the auto-tags; fails
 * listing every denial.
 * @public
 */
export function createGuardrailsAction(options: GuardrailsActionOptions) {
  const { client, auth, config } = options;
  const now = options.now ?? (() => new Date());
  const registered = options.rules ?? [];
  const registeredPolicies = parsePolicyRules(
    registered.filter(r => !isCodedGuardrailRule(r)),
    'registered',
  );
  const coded = registered.filter(isCodedGuardrailRule);

  /** The team group's cost-center annotation, read from the catalog. */
  async function readCostCenter(
    team: string,
    ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
  ): Promise<string | undefined> {
    if (!options.catalog) return undefined;
    const group = await options.catalog.getEntityByRef(team, {
      credentials: await ctx.getInitiatorCredentials(),
    });
    return group?.metadata.annotations?.[ANNOTATION_COST_CENTER];
  }

  return createTemplateAction({
    id: 'self-service:guardrails',
    description:
      'Evaluates the self-service guardrails (team quota and budget, cost ceiling, environment and policy rules) for the submitted parameters; outputs findings, approval stages, expiry and auto-tags, and fails listing every denial.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        parameters: z =>
          z
            .record(z.any())
            .describe(
              'The submitted parameters the rules and the price book read',
            ),
        team: z =>
          z
            .string()
            .describe('Owning team, a group entity ref (group:default/team-a)'),
        environment: z =>
          z
            .enum(['dev', 'staging', 'production'])
            .optional()
            .describe('Target environment; defaults to parameters.environment'),
        template: z =>
          z
            .string()
            .optional()
            .describe(
              "Price book key; defaults to the running template's name",
            ),
        monthlyCost: z =>
          z
            .number()
            .nonnegative()
            .optional()
            .describe(
              'Known monthly cost; otherwise priced from the price book',
            ),
        costCeiling: z =>
          z
            .number()
            .nonnegative()
            .optional()
            .describe('Per-request monthly cost ceiling (overrides config)'),
        financeThreshold: z =>
          z
            .number()
            .nonnegative()
            .optional()
            .describe(
              'Monthly cost above which finance must approve (overrides config)',
            ),
        ttlDays: z =>
          z
            .number()
            .positive()
            .optional()
            .describe(
              "Days until the resource expires (overrides the environment's)",
            ),
        costCenter: z =>
          z
            .string()
            .optional()
            .describe(
              "Cost center tag; defaults to the team's self-service.io/cost-center annotation",
            ),
        rules: z =>
          z
            .array(z.record(z.any()))
            .optional()
            .describe(
              'Policy rules: { id, when?: {parameter: value | [values]}, require?: {parameter, equals | notEquals | oneOf | min | max | matches, ifPresent?}, severity?: deny | require-approval | warn, message?, stage? | approvers? }',
            ),
        stages: z =>
          z
            .array(
              z.object({
                name: z.string(),
                groups: z.array(z.string()),
                quorum: z.number().int().optional(),
              }),
            )
            .optional()
            .describe("The template's own approval stages; findings add more"),
      },
      output: {
        findings: z =>
          z
            .array(z.record(z.any()))
            .describe('Every finding: code, severity, message, rule?, stage?'),
        denied: z =>
          z
            .boolean()
            .describe(
              'True when a finding denies the request (the step then fails)',
            ),
        requiresApproval: z =>
          z
            .boolean()
            .describe(
              'True when the request needs at least one approval stage',
            ),
        stages: z =>
          z
            .array(z.record(z.any()))
            .describe("All approval stages: the template's and the added ones"),
        addedStages: z =>
          z.array(z.record(z.any())).describe('The stages the findings added'),
        approvalPolicy: z =>
          z.record(z.any()).describe('{ stages } for self-service:request'),
        expiresAt: z =>
          z
            .string()
            .optional()
            .describe('When a non-production resource expires (ISO 8601)'),
        tags: z =>
          z
            .record(z.string())
            .describe('Auto-tags for the Terraform `tags` variable'),
        requestKey: z =>
          z
            .string()
            .describe(
              "Keys the request's Terraform state; the same in both phases",
            ),
        team: z => z.string().describe('The normalised team ref'),
        environment: z => z.string(),
        monthlyCost: z =>
          z
            .number()
            .optional()
            .describe('The monthly cost the budget was checked with'),
        cost: z =>
          z
            .record(z.any())
            .optional()
            .describe('The price book estimate, when it was computed here'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const parameters = (input.parameters ?? {}) as Record<string, unknown>;
      const team = normalizeTeamRef(input.team);
      const teamLabel = refSegment(team, 'group');
      const environment = parseEnvironment(
        input.environment ?? parameters.environment,
      );
      const templateRef = templateRefOf(ctx, input.template);
      const templateName = input.template ?? templateNameOf(templateRef);
      const stepRules = parsePolicyRules(input.rules ?? [], 'step input');
      const baseStages = (input.stages ?? []).map(s =>
        approvalStageSchema.parse(s),
      );
      const token = await initiatorToken(auth, ctx);
      // Loaded (a file check, often a cached parse) while usage is read;
      // the no-op catch only marks it handled, awaiting it still throws.
      const book =
        input.monthlyCost === undefined && options.priceBook
          ? options.priceBook.load()
          : undefined;
      book?.catch(() => {});

      // When the backend launched this task for an approved request, the
      // request already holds its reservation, key and expiry: reuse them so
      // the re-plan matches the approved plan.
      const launched = launchedGrant(ctx.secrets);
      let requestKey = ctx.task.id;
      let fixedExpiry: string | undefined;
      let usage: TeamUsage | undefined;
      if (launched) {
        // A change run reads the resource it changes: the update is planned
        // against that resource's state, and the change keeps its expiry.
        const request = await client.getRequest(launched.requestId, { token });
        requestKey = request.stateKey ?? request.taskIds[0] ?? requestKey;
        fixedExpiry = request.expiresAt
          ? new Date(request.expiresAt).toISOString()
          : undefined;
        ctx.logger.info(
          {
            destroy: `Tearing down request ${launched.requestId}: guardrails report but deny nothing, and its tags stay as they are`,
            apply: `Re-evaluating guardrails for approved request ${launched.requestId}; its budget and quota are already reserved`,
            change: `Changing the resource of request ${launched.requestId}: the plan runs against its existing state`,
          }[launched.operation],
        );
      }
      if (!launched || launched.operation === 'change') {
        usage = await client.getTeamUsage(team, { token });
      }

      let cost: CostEstimate | undefined;
      let monthlyCost = input.monthlyCost;
      let currency = usage?.currency ?? 'USD';
      let unpriced: string[] = [];
      if (book) {
        cost = priceParameters(await book, templateName, parameters);
        currency = cost.currency;
        unpriced = cost.unpriced;
        // A template the book does not know at all has no estimate, not a zero one.
        monthlyCost =
          cost.lines.some(l => l.monthly !== null) || cost.unpriced.length === 0
            ? cost.monthlyTotal
            : undefined;
      }

      const builtIn = evaluateBuiltInGuardrails({
        teamLabel,
        environment,
        monthlyCost,
        currency,
        unpriced,
        usage,
        config,
        costCeiling: input.costCeiling,
        financeThreshold: input.financeThreshold,
        ttlMs: input.ttlDays !== undefined ? input.ttlDays * DAY_MS : undefined,
        now: now(),
      });
      let findings: Finding[] = [...builtIn.findings];
      const policies: PolicyRule[] = [...registeredPolicies, ...stepRules];
      for (const rule of policies) {
        const finding = evaluatePolicyRule(rule, parameters);
        if (finding) findings.push(finding);
      }
      for (const rule of coded) {
        try {
          findings.push(
            ...(await rule.evaluate({
              templateRef,
              parameters,
              team,
              environment,
              monthlyCost,
              usage,
            })),
          );
        } catch (e) {
          // A rule that cannot be evaluated must not let the request through.
          findings.push({
            code: 'rule.error',
            severity: 'deny',
            rule: rule.id,
            message: `Guardrail rule ${rule.id} could not be evaluated: ${(e as Error).message}`,
          });
        }
      }

      const { stages, added } = resolveStages({
        base: baseStages,
        findings,
        inline: policies
          .map(p => p.approvers)
          .filter((s): s is ApprovalStage => !!s),
        templates: config.stages,
        team,
      });

      // The usage read carries the team's cost center (the backend reads the
      // group for its limits); a launched run reads no usage and asks the
      // catalog instead.
      const costCenter =
        input.costCenter ??
        (usage ? usage.costCenter : await readCostCenter(team, ctx));
      if (!costCenter) {
        findings.push({
          code: 'tags.cost-center-missing',
          severity: 'warn',
          message: `Team ${teamLabel} has no ${ANNOTATION_COST_CENTER} annotation; resources are tagged cost-center=unassigned.`,
        });
      }
      const expiresAt = launched ? fixedExpiry : builtIn.expiresAt;
      const tags = autoTags({
        team: teamLabel,
        costCenter,
        environment,
        requestKey,
        template: templateName,
        expiresAt,
      });

      // A tear-down only releases budget and quota: nothing may stop it, so
      // in destroy mode a would-be denial is dropped (and logged).
      if (launched?.operation === 'destroy') {
        for (const f of findings.filter(d => d.severity === 'deny')) {
          ctx.logger.info(`[ignored in tear-down] ${f.code}: ${f.message}`);
        }
        findings = findings.filter(f => f.severity !== 'deny');
      }
      const denials = findings.filter(f => f.severity === 'deny');
      const logAt = {
        deny: 'error',
        'require-approval': 'info',
        warn: 'warn',
      } as const;
      for (const f of findings) {
        ctx.logger[logAt[f.severity]](
          `[${f.severity}] ${f.code}: ${f.message}`,
        );
      }
      ctx.output('findings', findings as unknown as JsonObject[]);
      ctx.output('denied', denials.length > 0);
      ctx.output('requiresApproval', stages.length > 0);
      ctx.output('stages', stages as unknown as JsonObject[]);
      ctx.output('addedStages', added as unknown as JsonObject[]);
      ctx.output('approvalPolicy', { stages } as unknown as JsonObject);
      if (expiresAt) ctx.output('expiresAt', expiresAt);
      ctx.output('tags', tags);
      ctx.output('requestKey', requestKey);
      ctx.output('team', team);
      ctx.output('environment', environment);
      if (monthlyCost !== undefined) ctx.output('monthlyCost', monthlyCost);
      if (cost) ctx.output('cost', cost as unknown as JsonObject);

      if (denials.length) {
        throw new NotAllowedError(
          `The guardrails denied this request (${denials.length} ${denials.length === 1 ? 'reason' : 'reasons'}):\n${denials
            .map(d => `- ${d.code}: ${d.message}`)
            .join('\n')}`,
        );
      }
    },
  });
}
