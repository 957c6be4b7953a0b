import {
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/** The permission resource type of a self-service request. @public */
export const SELF_SERVICE_REQUEST_RESOURCE_TYPE = 'self-service-request';

/** Read a request's detail (conditional: own, my team's). @public */
export const selfServiceRequestReadPermission: ResourcePermission<
  typeof SELF_SERVICE_REQUEST_RESOURCE_TYPE
> = createPermission({
  name: 'self-service.request.read',
  attributes: { action: 'read' },
  resourceType: SELF_SERVICE_REQUEST_RESOURCE_TYPE,
});

/** Submit a request (through a template run). @public */
export const selfServiceRequestCreatePermission = createPermission({
  name: 'self-service.request.create',
  attributes: { action: 'create' },
});

/**
 * Approve or reject a request. A policy can only narrow who decides: the
 * backend still requires membership of the current stage's approver groups
 * and refuses the requester's own decision.
 * @public
 */
export const selfServiceRequestDecidePermission: ResourcePermission<
  typeof SELF_SERVICE_REQUEST_RESOURCE_TYPE
> = createPermission({
  name: 'self-service.request.decide',
  attributes: { action: 'update' },
  resourceType: SELF_SERVICE_REQUEST_RESOURCE_TYPE,
});

/** Withdraw a pending request. @public */
export const selfServiceRequestCancelPermission: ResourcePermission<
  typeof SELF_SERVICE_REQUEST_RESOURCE_TYPE
> = createPermission({
  name: 'self-service.request.cancel',
  attributes: { action: 'update' },
  resourceType: SELF_SERVICE_REQUEST_RESOURCE_TYPE,
});

/** Platform-team administration: every request, every team's usage. @public */
export const selfServiceAdminPermission = createPermission({
  name: 'self-service.admin',
  attributes: {},
});

/** @public */
export const selfServicePermissions = [
  selfServiceRequestReadPermission,
  selfServiceRequestCreatePermission,
  selfServiceRequestDecidePermission,
  selfServiceRequestCancelPermission,
  selfServiceAdminPermission,
];
