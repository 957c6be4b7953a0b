import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { TemplateInfo } from '@backstage/plugin-scaffolder-common';
import { sha256OfCanonicalJson } from '@internal/plugin-self-service-node';

/**
 * Hash of the running template's steps, so the backend can tell when the
 * template was edited between request and apply. Read from the catalog;
 * without one, the template's metadata (whose etag changes on every edit)
 * stands in.
 */
export async function templateStepsHash(
  templateInfo: TemplateInfo | undefined,
  catalog: Pick<CatalogService, 'getEntityByRef'> | undefined,
  credentials: () => Promise<BackstageCredentials>,
): Promise<string> {
  const ref = templateInfo?.entityRef;
  if (catalog && ref) {
    const entity = await catalog.getEntityByRef(ref, { credentials: await credentials() });
    const steps = (entity?.spec as { steps?: unknown } | undefined)?.steps;
    if (steps) return sha256OfCanonicalJson(steps);
  }
  return sha256OfCanonicalJson({ ref, metadata: templateInfo?.entity?.metadata ?? null });
}
