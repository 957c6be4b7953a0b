import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  SELF_SERVICE_REQUEST_RESOURCE_TYPE,
  selfServicePermissions,
  selfServiceRequestDecidePermission,
  selfServiceRequestReadPermission,
} from './permissions';

describe('self-service permissions', () => {
  it('names every permission plugin.resource.action and uniquely', () => {
    const names = selfServicePermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^self-service\.[a-z]+(\.[a-z]+)?$/);
    }
  });

  it('makes read and decide resource permissions so policies can be conditional', () => {
    expect(
      isResourcePermission(
        selfServiceRequestReadPermission,
        SELF_SERVICE_REQUEST_RESOURCE_TYPE,
      ),
    ).toBe(true);
    expect(
      isResourcePermission(
        selfServiceRequestDecidePermission,
        SELF_SERVICE_REQUEST_RESOURCE_TYPE,
      ),
    ).toBe(true);
  });
});
