import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { TemplateInfo } from '@backstage/plugin-scaffolder-common';
import {
  checkTemplate,
  TemplateSpecLike,
} from '@internal/plugin-self-service-common';
import { sha256OfCanonicalJson } from '@internal/plugin-self-service-node';

/**
 * Reads the running template from the catalog and returns the hash of its
 * steps (so the backend can tell when it was edited between request and
 * apply). Refuses a template whose use of the self-service actions could run
 * something that was never approved (see `checkTemplate`). Without a catalog
 * (tests), the template's metadata, whose etag changes on every edit, stands
 * in for the steps.
 */
export async function inspectTemplate(
  templateInfo: TemplateInfo | undefined,
  catalog: Pick<CatalogService, 'getEntityByRef'> | undefined,
  credentials: () => Promise<BackstageCredentials>,
): Promise<{ stepsHash: string }> {
  const ref = templateInfo?.entityRef;
  if (!catalog || !ref) {
    return {
      stepsHash: sha256OfCanonicalJson({
        ref,
        metadata: templateInfo?.entity?.metadata ?? null,
      }),
    };
  }
  const entity = await catalog.getEntityByRef(ref, {
    credentials: await credentials(),
  });
  if (!entity) {
    throw new NotAllowedError(
      `The template ${ref} is no longer in the catalog`,
    );
  }
  const spec = (entity.spec ?? {}) as TemplateSpecLike;
  const problems = checkTemplate(spec);
  if (problems.length) {
    throw new NotAllowedError(
      `The template ${ref} cannot gate requests safely:\n${problems.map(p => `- ${p.code}: ${p.message}`).join('\n')}`,
    );
  }
  return { stepsHash: sha256OfCanonicalJson(spec.steps ?? []) };
}
