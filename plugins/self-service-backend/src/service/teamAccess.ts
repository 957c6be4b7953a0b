import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { selfServiceAdminPermission } from '@internal/plugin-self-service-common';
import type { SelfServiceStore } from '../database/SelfServiceStore';
import type { Caller } from './caller';

/**
 * Who may read a team's budget and quota (`GET /teams/:ref/usage`, and
 * `POST /estimate` given a team): its members (the team is among the
 * caller's ownership refs), its approvers (the caller is in a group that a
 * request of the team names as an approver, at any stage) and admins
 * (`self-service.admin`). Anybody else gets a 403 saying so.
 * @internal
 */
export class TeamReadAccess {
  constructor(
    private readonly options: {
      store: Pick<SelfServiceStore, 'namesTeamApprover'>;
      permissions: PermissionsService;
    },
  ) {}

  /** Resolves when the caller may read the (lower-case) team's usage; throws otherwise. */
  async assertMayRead(
    team: string,
    caller: Caller,
    field = 'ref',
  ): Promise<void> {
    const refs = caller.ownershipEntityRefs.map(ref => ref.toLowerCase());
    if (refs.includes(team)) return;
    if (await this.options.store.namesTeamApprover(team, refs)) return;
    const [admin] = await this.options.permissions.authorize(
      [{ permission: selfServiceAdminPermission }],
      { credentials: caller.credentials },
    );
    if (admin.result === AuthorizeResult.ALLOW) return;
    throw new NotAllowedError(
      `${field}: ${caller.userEntityRef} may not read the budget and quota of ${team}: only its members, its approvers and self-service admins may`,
    );
  }
}
