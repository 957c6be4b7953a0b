import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type SelfServiceRequest,
  selfServiceAdminPermission,
} from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../../database/SelfServiceStore';
import type { Caller } from '../caller';

/**
 * Deletes the record of a pending or rejected request: its requester or an
 * admin (`self-service.admin`) may. Its decisions, grants and approver rows
 * go, a pending request's reservation with them; the event log keeps the
 * request's events and a `deleted` one. Another state is a ConflictError
 * (409) naming it; anybody else a NotAllowedError (403). Returns the
 * request as it was.
 * @internal
 */
export async function deleteRequestRecord(
  deps: {
    store: SelfServiceStore;
    permissions: PermissionsService;
    now: () => Date;
  },
  id: string,
  caller: Caller,
): Promise<SelfServiceRequest> {
  const { store, permissions } = deps;
  const request = await store.getRequest(id);
  if (!request) throw new NotFoundError(`Request ${id} not found`);
  // The requester never changes, so this holds for the row deleted below.
  if (request.requester !== caller.userEntityRef) {
    const [admin] = await permissions.authorize(
      [{ permission: selfServiceAdminPermission }],
      { credentials: caller.credentials },
    );
    if (admin.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Only the requester or an admin can delete a request',
      );
    }
  }
  return store.lifecycle.deleteRequest({
    id,
    actor: caller.userEntityRef,
    now: deps.now(),
  });
}
