import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** Reads Template entities as the catalog holds them. @internal */
export interface TemplateSource {
  getTemplate(ref: string): Promise<Entity | undefined>;
}

/**
 * Reads as the plugin itself: what a template declares is a fact about the
 * template, not about what the requester may see.
 * @internal
 */
export class CatalogTemplateSource implements TemplateSource {
  constructor(
    private readonly deps: {
      catalog: Pick<CatalogService, 'getEntityByRef'>;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    },
  ) {}

  async getTemplate(ref: string): Promise<Entity | undefined> {
    return this.deps.catalog.getEntityByRef(ref, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
  }
}
