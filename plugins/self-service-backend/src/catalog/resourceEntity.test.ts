import { ANNOTATION_EXPIRES_AT, ANNOTATION_REQUEST_ID } from '@internal/plugin-self-service-common';
import { toResourceEntity } from './resourceEntity';

const resource = {
  requestId: '0b7c1f1e-6a51-4c1a-9d1f-2d3c4b5a6978',
  templateRef: 'template:default/postgres-database',
  type: 'database',
  name: 'Orders DB',
  team: 'group:default/team-a',
  environment: 'production',
  expiresAt: '2026-12-01T00:00:00.000Z',
  tags: ['CC-1001', 'postgresql'],
  outputs: { endpoint: 'orders.abc.rds.amazonaws.com:5432', port: 5432 },
};

describe('toResourceEntity', () => {
  it('builds an owned, annotated, tagged Resource', () => {
    const entity = toResourceEntity(resource, 'http://localhost:3000');
    expect(entity.kind).toBe('Resource');
    expect(entity.metadata.name).toBe('postgres-database-orders-db-production');
    expect(entity.spec).toMatchObject({ type: 'database', owner: 'group:default/team-a' });
    expect(entity.metadata.annotations).toMatchObject({
      [ANNOTATION_REQUEST_ID]: resource.requestId,
      [ANNOTATION_EXPIRES_AT]: resource.expiresAt,
    });
    expect(entity.metadata.tags).toEqual(['production', 'cc-1001', 'postgresql']);
    expect(entity.metadata.links![0].url).toBe(
      `http://localhost:3000/self-service/requests/${resource.requestId}`,
    );
    expect(entity.metadata.description).toContain('endpoint: orders.abc.rds.amazonaws.com:5432');
  });

  it('labels a simulated resource as such, in its tags and description', () => {
    const entity = toResourceEntity({ ...resource, simulated: true }, 'http://localhost:3000');
    expect(entity.metadata.tags).toContain('simulated');
    expect(entity.metadata.description).toMatch(/^SIMULATED: .*does not exist/);
    expect(toResourceEntity(resource, 'http://localhost:3000').metadata.tags).not.toContain('simulated');
  });

  it('keeps names valid for the catalog whatever was requested', () => {
    const entity = toResourceEntity(
      { ...resource, name: `--${'x'.repeat(80)}!!`, environment: 'dev' },
      'http://app',
    );
    expect(entity.metadata.name).toMatch(/^[a-z0-9][a-z0-9-_.]{0,61}[a-z0-9]$/);
  });
});
