import type { AuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createRequestBodySchema } from '@internal/plugin-self-service-common';
import { hashParameters } from '@internal/plugin-self-service-node';
import { initiatorToken, SelfServiceActionsClient } from '../../client';
import { heldGrants } from '../terraform/grant';
import { launchedGrant, normalizeTeamRef, templateRefOf } from '../shared';
import { examples } from './request.examples';
import { inspectTemplate } from './templateEntity';

/** @public */
export interface RequestActionOptions {
  client: SelfServiceActionsClient;
  auth: AuthService;
  /** `app.baseUrl`, for the link to the request page. */
  appBaseUrl: string;
  catalog?: Pick<CatalogService, 'getEntityByRef'>;
}

const CATEGORY_ANNOTATION = 'self-service.io/category';

/**
 * `self-service:request`: records the request in the self-service backend
 * (as the user who started the task) with its findings, cost and plan;
 * outputs whether it was auto-approved, in which case this task holds the
 * grant for `terraform:apply`, or waits for approval.
 * @public
 */
export function createRequestAction(options: RequestActionOptions) {
  const { client, auth } = options;
  const link = (id: string) =>
    `${options.appBaseUrl}/self-service/requests/${encodeURIComponent(id)}`;
  return createTemplateAction({
    id: 'self-service:request',
    description:
      'Records the request (findings, cost, plan) in the self-service backend; outputs whether it was auto-approved, in which case the apply step of this task may run, or waits for approval.',
    examples,
    schema: {
      input: {
        parameters: z =>
          z
            .record(z.any())
            .describe(
              'The template parameters (usually ${{ parameters }}); hashed into the grant',
            ),
        team: z => z.string().describe('Owning team, a group entity ref'),
        environment: z =>
          z
            .enum(['dev', 'staging', 'production'])
            .describe('Target environment'),
        category: z =>
          z
            .string()
            .optional()
            .describe(
              'Quota category; defaults to the template annotation self-service.io/category',
            ),
        justification: z =>
          z
            .string()
            .optional()
            .describe('Why the requester needs it, shown to approvers'),
        findings: z =>
          z
            .array(z.record(z.any()))
            .optional()
            .describe('Findings of self-service:guardrails'),
        cost: z =>
          z
            .record(z.any())
            .describe('Cost estimate (terraform:plan output cost)'),
        planSummary: z =>
          z
            .record(z.any())
            .optional()
            .describe('terraform:plan output planSummary'),
        planHash: z =>
          z.string().optional().describe('terraform:plan output planHash'),
        planFileDigest: z =>
          z
            .string()
            .optional()
            .describe(
              'terraform:plan output planFileDigest: binds an auto-approval to that saved plan file, so the apply step need not read it back',
            ),
        stages: z =>
          z
            .array(z.record(z.any()))
            .optional()
            .describe(
              'Approval stages (self-service:guardrails output stages)',
            ),
        allowSelfApprovalOutsideProduction: z => z.boolean().optional(),
        expiresAt: z =>
          z
            .string()
            .optional()
            .describe(
              'Resource expiry (self-service:guardrails output expiresAt)',
            ),
      },
      output: {
        requestId: z => z.string(),
        state: z =>
          z
            .string()
            .describe('The request state, e.g. approved or pending_approval'),
        approved: z =>
          z
            .boolean()
            .describe('True when terraform:apply may run in this task'),
        autoApproved: z => z.boolean(),
        destroy: z =>
          z
            .boolean()
            .describe(
              'True when the backend launched this task to tear the request down (terraform:destroy may run)',
            ),
        url: z => z.string().describe('Link to the request page'),
        message: z => z.string().describe('A sentence for the requester'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const secrets = launchedGrant(ctx.secrets);
      // A change run records a new (change) request like a first run does,
      // naming the resource and presenting the ticket it was launched with.
      const change = secrets?.operation === 'change' ? secrets : undefined;
      const launched = change ? undefined : secrets;
      // A retried task runs this step again: what an earlier attempt held
      // is not this attempt's to apply.
      heldGrants.release(ctx.task.id);
      // A first run records the request as its initiator: the token is
      // minted while the template is read (both sit on every run's critical
      // path). The no-op catch only marks it handled; awaiting still throws.
      const token = launched ? undefined : initiatorToken(auth, ctx);
      token?.catch(() => {});
      // Checked in both phases: the template may have been edited meanwhile.
      // Read as the scaffolder itself: the check is of the template, not of
      // what the initiator may read (the scaffolder read the template as
      // them when the task started), and a service read needs no round trip
      // to the permission policy.
      const { stepsHash } = await inspectTemplate(
        ctx.templateInfo,
        options.catalog,
        () => auth.getOwnServiceCredentials(),
      );
      if (launched?.operation === 'destroy') {
        // The backend launched this task to tear a succeeded request down:
        // nothing to record; terraform:destroy redeems the destroy grant.
        ctx.output('requestId', launched.requestId);
        ctx.output('state', 'destroying');
        ctx.output('approved', false);
        ctx.output('autoApproved', false);
        ctx.output('destroy', true);
        ctx.output('url', link(launched.requestId));
        ctx.output('message', 'The request is being torn down.');
        return;
      }
      if (launched) {
        // The backend launched this task for an approved request: nothing to
        // record again; terraform:apply redeems the grant from the secrets.
        ctx.output('requestId', launched.requestId);
        ctx.output('state', 'approved');
        ctx.output('approved', true);
        ctx.output('autoApproved', false);
        ctx.output('destroy', false);
        ctx.output('url', link(launched.requestId));
        ctx.output('message', 'The request was approved; applying it now.');
        return;
      }

      const templateRef = templateRefOf(ctx);
      const parameters = (input.parameters ?? {}) as Record<string, unknown>;
      const category =
        input.category ??
        ctx.templateInfo?.entity?.metadata.annotations?.[CATEGORY_ANNOTATION];
      const parsed = createRequestBodySchema.safeParse({
        templateRef,
        templateUid: ctx.templateInfo?.entity?.metadata.uid,
        templateStepsHash: stepsHash,
        parameters,
        parametersHash: hashParameters(parameters),
        team: normalizeTeamRef(input.team),
        environment: input.environment,
        category,
        justification: input.justification || undefined,
        findings: input.findings ?? [],
        cost: input.cost,
        planSummary: input.planSummary,
        planHash: input.planHash,
        planFileDigest: input.planFileDigest,
        approvalPolicy: {
          stages: input.stages ?? [],
          allowSelfApprovalOutsideProduction:
            input.allowSelfApprovalOutsideProduction ?? false,
        },
        expiresAt: input.expiresAt || undefined,
        taskId: ctx.task.id,
        stepId: ctx.step?.id ?? 'request',
        ...(change ? { changeOf: change.requestId, changeToken: change.token } : {}),
      });
      if (!parsed.success) {
        throw new InputError(
          `Invalid request: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      if (parsed.data.findings.some(f => f.severity === 'deny')) {
        throw new NotAllowedError(
          'A guardrail denied this request; it cannot be recorded',
        );
      }

      // Not wrapped in a checkpoint: the backend is idempotent per task and
      // step, and a checkpoint would store the grant token with the task.
      const { request, grant } = await client.createRequest(parsed.data, {
        token: await token!,
      });
      const url = link(request.id);
      ctx.output('requestId', request.id);
      ctx.output('state', request.state);
      ctx.output('destroy', false);
      ctx.output('url', url);
      if (request.state === 'denied') {
        ctx.output('approved', false);
        ctx.output('autoApproved', false);
        throw new NotAllowedError(
          `The request was denied${request.stateReason ? `: ${request.stateReason}` : ''} (${url})`,
        );
      }
      if (grant) {
        heldGrants.hold(
          ctx.task.id,
          {
            requestId: request.id,
            token: grant.token,
            // Only a digest the backend bound to the grant lets apply skip
            // reading the plan back; redeem checks the file it applies.
            ...(parsed.data.planHash &&
            grant.planFileDigest &&
            grant.planFileDigest === parsed.data.planFileDigest
              ? {
                  planHash: parsed.data.planHash,
                  planFileDigest: grant.planFileDigest,
                }
              : {}),
          },
          grant.expiresAt,
        );
      }
      const approved = Boolean(grant);
      ctx.output('approved', approved);
      ctx.output('autoApproved', approved);
      const message = approved
        ? 'The request was approved automatically; applying it now.'
        : `The request waits for approval (${request.approvalPolicy.stages.map(s => s.name).join(', ')}); you will be notified. Follow it at ${url}`;
      ctx.output('message', message);
      ctx.logger.info(message);
    },
  });
}
