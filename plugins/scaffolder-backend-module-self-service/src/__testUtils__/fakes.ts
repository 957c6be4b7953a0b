import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  CheckGrantBody,
  checkGrantBodySchema,
  CheckGrantResponse,
  CreateRequestBody,
  createRequestBodySchema,
  RedeemGrantBody,
  redeemGrantBodySchema,
  ReportStatusBody,
  reportStatusBodySchema,
  SelfServiceRequest,
  TeamUsage,
} from '@internal/plugin-self-service-common';
import {
  hashParameters,
  hashPlanSummary,
} from '@internal/plugin-self-service-node';
import { randomUUID } from 'node:crypto';
import type { CreateRequestResult, SelfServiceActionsClient } from '../client';

/** A logger that keeps every line, for assertions on the task log. */
export function captureLogger(): LoggerService & {
  lines: string[];
  text(): string;
} {
  const lines: string[] = [];
  const logger: any = {
    lines,
    text: () => lines.join('\n'),
    child: () => logger,
  };
  for (const level of ['error', 'warn', 'info', 'debug']) {
    logger[level] = (message: string, meta?: unknown) =>
      lines.push(
        `${level}: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`,
      );
  }
  return logger;
}

export function usage(partial: {
  budget?: Partial<TeamUsage['budget']>;
  quota?: Partial<TeamUsage['quota']>;
  team?: string;
  /** The group's cost center; null for a group without one. */
  costCenter?: string | null;
}): TeamUsage {
  const budget = { limit: 1000, live: 0, reserved: 0, ...partial.budget };
  const quota = { limit: 5, live: 0, reserved: 0, ...partial.quota };
  return {
    team: partial.team ?? 'group:default/team-a',
    currency: 'USD',
    budget: {
      ...budget,
      remaining: budget.limit - budget.live - budget.reserved,
    },
    quota: { ...quota, remaining: quota.limit - quota.live - quota.reserved },
    ...(partial.costCenter === null
      ? {}
      : { costCenter: partial.costCenter ?? 'CC-1001' }),
  };
}

interface Grant {
  token: string;
  requestId: string;
  templateRef: string;
  parametersHash: string;
  planHash: string | null;
  taskId: string;
  planFileDigest?: string;
  used: boolean;
}

/**
 * An in-memory stand-in for the self-service backend that enforces the
 * contract the actions rely on: request bodies validated with the shared
 * schema, auto-approval when there are no stages, and single-use grants
 * bound to request, template, parameters, plan and task.
 */
export class FakeSelfServiceClient implements SelfServiceActionsClient {
  teamUsage = new Map<string, TeamUsage>();
  requests = new Map<string, SelfServiceRequest & { planHash?: string }>();
  grants: Grant[] = [];
  calls: Array<{ method: string; token: string; body?: unknown }> = [];

  async getTeamUsage(
    team: string,
    options: { token: string },
  ): Promise<TeamUsage> {
    this.calls.push({
      method: 'getTeamUsage',
      token: options.token,
      body: team,
    });
    const found = this.teamUsage.get(team);
    if (!found) throw new NotFoundError(`no team ${team}`);
    return found;
  }

  async getRequest(
    id: string,
    options: { token: string },
  ): Promise<SelfServiceRequest> {
    this.calls.push({ method: 'getRequest', token: options.token, body: id });
    const found = this.requests.get(id);
    if (!found) throw new NotFoundError(`no request ${id}`);
    return found;
  }

  async createRequest(
    body: CreateRequestBody,
    options: { token: string },
  ): Promise<CreateRequestResult> {
    const parsed = createRequestBodySchema.parse(body);
    this.calls.push({
      method: 'createRequest',
      token: options.token,
      body: parsed,
    });
    if (
      parsed.planSummary &&
      parsed.planHash &&
      hashPlanSummary(parsed.planSummary) !== parsed.planHash
    ) {
      throw new ConflictError('planHash does not match planSummary');
    }
    const autoApproved = parsed.approvalPolicy.stages.length === 0;
    const now = new Date().toISOString();
    const request: SelfServiceRequest & { planHash?: string } = {
      id: randomUUID(),
      templateRef: parsed.templateRef,
      requester: 'user:default/mock',
      team: parsed.team,
      environment: parsed.environment,
      parameters: parsed.parameters,
      findings: parsed.findings,
      cost: parsed.cost,
      planSummary: parsed.planSummary,
      planHash: parsed.planHash,
      approvalPolicy: parsed.approvalPolicy,
      currentStage: autoApproved ? null : 0,
      state: autoApproved ? 'approved' : 'pending_approval',
      expiresAt: parsed.expiresAt,
      taskIds: [parsed.taskId],
      resourceRefs: [],
      createdAt: now,
      updatedAt: now,
    };
    this.requests.set(request.id, request);
    if (!autoApproved) return { request };
    const grant = this.mintGrant(request.id, parsed.taskId, {
      planFileDigest: parsed.planFileDigest,
    });
    return {
      request,
      grant: {
        token: grant.token,
        // As the backend: valid for the grant TTL (24 hours by default).
        expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
        ...(grant.planFileDigest
          ? { planFileDigest: grant.planFileDigest }
          : {}),
      },
    };
  }

  /**
   * What the backend does on final approval (bound to the launched task) or
   * auto-approval. A tear-down grant cannot know the destroy plan in advance:
   * `planHash: null` leaves it unbound to a plan.
   */
  mintGrant(
    requestId: string,
    taskId: string,
    options: { planHash?: string | null; planFileDigest?: string } = {},
  ): Grant {
    const request = this.requests.get(requestId)!;
    const grant: Grant = {
      token: `grant-${randomUUID()}-${randomUUID()}`,
      requestId,
      templateRef: request.templateRef,
      parametersHash: hashParameters(request.parameters),
      planHash:
        options.planHash === undefined
          ? (request.planHash ?? '')
          : options.planHash,
      taskId,
      planFileDigest: options.planFileDigest,
      used: false,
    };
    this.grants.push(grant);
    return grant;
  }

  async redeemGrant(body: RedeemGrantBody, options: { token: string }) {
    const parsed = redeemGrantBodySchema.parse(body);
    this.calls.push({
      method: 'redeemGrant',
      token: options.token,
      body: parsed,
    });
    const grant = this.grants.find(
      g =>
        g.token === parsed.token &&
        g.requestId === parsed.requestId &&
        g.templateRef === parsed.templateRef &&
        g.parametersHash === parsed.parametersHash &&
        // Plan-bound grants are apply grants; unbound ones destroy grants,
        // and each redeems only for its own purpose, as in the backend.
        (g.planHash === null) === (parsed.purpose === 'destroy') &&
        (g.planHash === null || g.planHash === parsed.planHash) &&
        g.taskId === parsed.taskId &&
        // A grant bound to a plan file redeems only for that file.
        (!g.planFileDigest || g.planFileDigest === parsed.planFileDigest) &&
        !g.used,
    );
    if (!grant) throw new NotAllowedError('no matching unused grant');
    const request = this.requests.get(parsed.requestId)!;
    // Plan-bound grants apply an approved request; unbound ones are minted
    // by the backend when it starts a tear-down and redeem only meanwhile.
    const redeemable =
      grant.planHash === null ? ['destroying'] : ['approved', 'applying'];
    if (!redeemable.includes(request.state)) {
      throw new ConflictError(
        `Request ${request.id} is ${request.state}; its grant can no longer be redeemed`,
      );
    }
    grant.used = true;
    if (request.state === 'approved') request.state = 'applying';
    if (!request.taskIds.includes(parsed.taskId))
      request.taskIds.push(parsed.taskId);
    return { redeemed: true as const, grantId: grant.token.slice(0, 12) };
  }

  /**
   * The backend's check before Terraform runs: the same bindings as redeem
   * (the plan only when claimed), nothing consumed, and a refusal names the
   * first field that does not match, the token first.
   */
  async checkGrant(
    body: CheckGrantBody,
    options: { token: string },
  ): Promise<CheckGrantResponse> {
    const parsed = checkGrantBodySchema.parse(body);
    this.calls.push({
      method: 'checkGrant',
      token: options.token,
      body: parsed,
    });
    const grant = this.grants.find(
      g => g.token === parsed.token && g.requestId === parsed.requestId,
    );
    if (!grant) {
      throw new NotAllowedError(
        `token: no grant of request ${parsed.requestId} has this token`,
      );
    }
    const purpose = parsed.purpose ?? 'apply';
    const grantPurpose = grant.planHash === null ? 'destroy' : 'apply';
    if (grantPurpose !== purpose) {
      throw new NotAllowedError(
        `purpose: the grant of request ${parsed.requestId} is for ${grantPurpose}, not ${purpose}`,
      );
    }
    if (grant.used) throw new ConflictError('the grant was already redeemed');
    const request = this.requests.get(parsed.requestId)!;
    const usable =
      purpose === 'destroy' ? ['destroying'] : ['approved', 'applying'];
    if (!usable.includes(request.state)) {
      throw new ConflictError(
        `Request ${request.id} is ${request.state}; its ${purpose} grant cannot be redeemed`,
      );
    }
    if (grant.templateRef !== parsed.templateRef) {
      throw new NotAllowedError(
        `templateRef: the grant is bound to ${grant.templateRef}, not ${parsed.templateRef}`,
      );
    }
    if (
      parsed.parametersHash &&
      grant.parametersHash !== parsed.parametersHash
    ) {
      throw new NotAllowedError(
        'parametersHash: the parameters differ from the approved parameters',
      );
    }
    if (grant.taskId !== parsed.taskId) {
      throw new NotAllowedError(
        'taskId: the grant is bound to another scaffolder task',
      );
    }
    return {
      grantId: grant.token.slice(0, 12),
      requestId: grant.requestId,
      purpose,
      templateRef: grant.templateRef,
      parametersHash: grant.parametersHash,
      planHash: grant.planHash,
      taskId: grant.taskId,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      checked: [
        'token',
        'purpose',
        'templateRef',
        ...(parsed.parametersHash ? (['parametersHash'] as const) : []),
        'taskId',
      ],
    };
  }

  async reportStatus(
    id: string,
    body: ReportStatusBody,
    options: { token: string },
  ) {
    const parsed = reportStatusBodySchema.parse(body);
    this.calls.push({
      method: 'reportStatus',
      token: options.token,
      body: { id, ...parsed },
    });
    const request = this.requests.get(id);
    if (!request) throw new NotFoundError(`no request ${id}`);
    const from: Record<string, string[]> = {
      succeeded: ['applying'],
      failed: ['applying', 'approved', 'destroying'],
      destroying: ['succeeded'],
      destroyed: ['destroying'],
    };
    if (!from[parsed.state].includes(request.state)) {
      throw new ConflictError(
        `Request ${id} is ${request.state}; it cannot become ${parsed.state}`,
      );
    }
    if (
      parsed.state !== 'destroying' &&
      !request.taskIds.includes(parsed.taskId)
    ) {
      throw new NotAllowedError(
        `task ${parsed.taskId} does not belong to request ${id}`,
      );
    }
    request.state = parsed.state;
    return request;
  }
}
