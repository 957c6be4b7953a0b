import type { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TEMPLATE_PROBLEMS,
  checkTemplate,
  TemplateSpecLike,
} from '@internal/plugin-self-service-common';

/**
 * Flags Templates that use the self-service actions in a way that could run
 * something unapproved. The template is still ingested (platform teams see
 * it and its problems) but carries the problems in an annotation, which the
 * template page shows and `self-service:request` refuses on.
 */
export class TemplateChecksProcessor implements CatalogProcessor {
  constructor(private readonly logger: LoggerService) {}

  getProcessorName(): string {
    return 'SelfServiceTemplateChecksProcessor';
  }

  async postProcessEntity(entity: Entity): Promise<Entity> {
    if (entity.kind !== 'Template' || !entity.spec) {
      return entity;
    }
    const problems = checkTemplate(entity.spec as TemplateSpecLike);
    const annotations = { ...entity.metadata.annotations };
    delete annotations[ANNOTATION_TEMPLATE_PROBLEMS];
    if (problems.length > 0) {
      this.logger.warn(
        `Template ${stringifyEntityRef(entity)} misuses the self-service actions: ${problems
          .map(p => p.message)
          .join('; ')}`,
      );
      annotations[ANNOTATION_TEMPLATE_PROBLEMS] = JSON.stringify(problems);
    }
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  }
}
