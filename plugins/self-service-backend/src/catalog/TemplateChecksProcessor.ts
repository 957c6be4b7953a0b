import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TEMPLATE_PROBLEMS,
  checkTemplate,
  type TemplateProblem,
  type TemplateSpecLike,
} from '@internal/plugin-self-service-common';

/** One line per problem: the step, the rule, and why it matters. */
export function describeProblems(problems: TemplateProblem[]): string {
  return problems
    .map(p => `- ${p.stepId ? `step '${p.stepId}' ` : ''}[${p.code}] ${p.message}`)
    .join('\n');
}

/**
 * Refuses Templates that use the self-service actions in a shape that could
 * run something unapproved (`checkTemplate`): the catalog records a
 * processing error naming each step and rule, and a new template never
 * appears (a changed one keeps its last good version). Templates that do not
 * use the actions pass untouched.
 *
 * With `selfService.templateChecks.enforce: false` the template is ingested
 * with its problems in an annotation instead, for a migration period; the
 * backend still refuses requests from it at run time, so switching the check
 * off never switches the controls off.
 */
export class TemplateChecksProcessor implements CatalogProcessor {
  readonly #enforce: boolean;

  constructor(
    private readonly logger: LoggerService,
    config?: Config,
  ) {
    this.#enforce =
      config?.getOptionalBoolean('selfService.templateChecks.enforce') ?? true;
  }

  getProcessorName(): string {
    return 'SelfServiceTemplateChecksProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind !== 'Template' || !entity.spec) {
      return entity;
    }
    const problems = checkTemplate(entity.spec as TemplateSpecLike);
    const annotations = { ...entity.metadata.annotations };
    delete annotations[ANNOTATION_TEMPLATE_PROBLEMS];
    if (problems.length > 0) {
      const message = `Template ${stringifyEntityRef(entity)} uses the self-service actions unsafely:\n${describeProblems(problems)}`;
      if (this.#enforce) {
        emit(processingResult.inputError(location, message));
        return entity;
      }
      this.logger.warn(`${message}\n(ingested: selfService.templateChecks.enforce is false)`);
      annotations[ANNOTATION_TEMPLATE_PROBLEMS] = JSON.stringify(problems);
    }
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  }
}
