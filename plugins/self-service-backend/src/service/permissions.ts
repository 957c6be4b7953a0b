import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionExports,
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  SELF_SERVICE_REQUEST_RESOURCE_TYPE,
  type SelfServiceRequest,
  selfServiceAdminPermission,
  selfServicePermissions,
  selfServiceRequestCreatePermission,
} from '@internal/plugin-self-service-common';
import { z } from 'zod';
import type {
  RequestCriteria,
  SelfServiceRequestFilter,
} from '../database/filters';

/** The permission resource of a self-service request. @public */
export const selfServiceRequestPermissionResourceRef =
  createPermissionResourceRef<
    SelfServiceRequest,
    SelfServiceRequestFilter
  >().with({
    pluginId: 'self-service',
    resourceType: SELF_SERVICE_REQUEST_RESOURCE_TYPE,
  });

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe(
      'Entity refs to match, usually the caller identity or ownership refs',
    ),
});

/** Matches requests whose requester is one of the claims. @public */
export const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow requests submitted by one of the given users',
  resourceRef: selfServiceRequestPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) => claims.includes(request.requester),
  toQuery: ({ claims }) => ({ key: 'requester', values: claims }),
});

/** Matches requests for one of the claimed teams. @public */
export const isTeamMember = createPermissionRule({
  name: 'IS_TEAM_MEMBER',
  description: "Allow requests of one of the given teams (the caller's groups)",
  resourceRef: selfServiceRequestPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) => claims.includes(request.team),
  toQuery: ({ claims }) => ({ key: 'team', values: claims }),
});

/**
 * Matches requests whose approval stages name one of the claimed groups, so
 * a policy can let approvers read the requests they approve, in any team.
 * Compares case-insensitively, as entity refs do.
 * @public
 */
export const isApprover = createPermissionRule({
  name: 'IS_APPROVER',
  description:
    'Allow requests whose approval stages name one of the given groups',
  resourceRef: selfServiceRequestPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) => {
    const wanted = new Set(claims.map(c => c.toLowerCase()));
    return request.approvalPolicy.stages.some(stage =>
      stage.groups.some(group => wanted.has(group.toLowerCase())),
    );
  },
  toQuery: ({ claims }) => ({ key: 'approverGroup', values: claims }),
});

/** @public */
export const selfServiceRequestRules = {
  isRequester,
  isTeamMember,
  isApprover,
};

/**
 * Condition factories for permission policies, e.g.
 * `createSelfServiceRequestConditionalDecision(permission,
 * selfServiceRequestConditions.isTeamMember({ claims: user.identity.ownershipEntityRefs }))`.
 * @public
 */
export const {
  conditions: selfServiceRequestConditions,
  createConditionalDecision: createSelfServiceRequestConditionalDecision,
} = createConditionExports({
  resourceRef: selfServiceRequestPermissionResourceRef,
  rules: selfServiceRequestRules,
});

/** @internal */
export type RequestRuleset = PermissionRuleset<
  SelfServiceRequest,
  SelfServiceRequestFilter,
  typeof SELF_SERVICE_REQUEST_RESOURCE_TYPE
>;

/** The plugin's own rules as a ruleset, for when no registry is at hand. @internal */
export function localRequestRuleset(): RequestRuleset {
  const rules = Object.values(selfServiceRequestRules);
  return {
    getRuleByName(name: string) {
      const rule = rules.find(r => r.name === name);
      if (!rule) {
        throw new Error(`Unknown permission rule ${name}`);
      }
      return rule as ReturnType<RequestRuleset['getRuleByName']>;
    },
  };
}

/** A policy's answer for a resource permission: all, none, or a filter. @internal */
export type AccessScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | {
      kind: 'some';
      criteria: RequestCriteria;
      allows(request: SelfServiceRequest): boolean;
    };

/**
 * Evaluates a request permission for the caller. A conditional decision
 * becomes both a query filter (for lists) and a predicate (for one request).
 * @internal
 */
export async function accessScope(options: {
  permissions: PermissionsService;
  ruleset: RequestRuleset;
  permission: ResourcePermission<typeof SELF_SERVICE_REQUEST_RESOURCE_TYPE>;
  credentials: BackstageCredentials;
}): Promise<AccessScope> {
  const { permissions, ruleset, permission, credentials } = options;
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (decision.result === AuthorizeResult.ALLOW) {
    return { kind: 'all' };
  }
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return { kind: 'none' };
  }
  const criteria = createConditionTransformer(ruleset)(decision.conditions);
  const authorize = createConditionAuthorizer(ruleset);
  return {
    kind: 'some',
    criteria,
    allows: request => authorize(decision, request),
  };
}

/** @internal */
export function scopeAllows(
  scope: AccessScope,
  request: SelfServiceRequest,
): boolean {
  return (
    scope.kind === 'all' || (scope.kind === 'some' && scope.allows(request))
  );
}

/**
 * Registers the request resource type with its rules and the plugin's other
 * permissions, and returns the ruleset (including rules modules may add).
 * @internal
 */
export function registerPermissions(
  registry: PermissionsRegistryService,
  getResources: (
    ids: string[],
  ) => Promise<Array<SelfServiceRequest | undefined>>,
): RequestRuleset {
  registry.addResourceType({
    resourceRef: selfServiceRequestPermissionResourceRef,
    permissions: selfServicePermissions.filter(p => p.type === 'resource'),
    rules: Object.values(selfServiceRequestRules),
    getResources,
  });
  registry.addPermissions([
    selfServiceRequestCreatePermission,
    selfServiceAdminPermission,
  ]);
  return registry.getPermissionRuleset(selfServiceRequestPermissionResourceRef);
}
