import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { EstimateBody } from '@internal/plugin-self-service-common';

/** The `ui:options` of the SelfServiceCostEstimate field. */
export type CostEstimateFieldOptions = {
  /** The Template entity ref to price, e.g. `template:default/postgres-database`. */
  templateRef?: string;
  /** The form field holding the owning team (default `team`). */
  teamField?: string;
};

function toGroupRef(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Builds the `POST /estimate` body from the whole form: every other field's
 * value (the field's own value is not a parameter) and the team.
 */
export function estimateRequest(options: {
  templateRef?: string;
  formData: Record<string, unknown>;
  ownName: string;
  teamField?: string;
}): EstimateBody | undefined {
  if (!options.templateRef) {
    return undefined;
  }
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.formData)) {
    if (key !== options.ownName && value !== undefined) {
      parameters[key] = value;
    }
  }
  const team = toGroupRef(options.formData[options.teamField ?? 'team']);
  return {
    templateRef: options.templateRef,
    parameters,
    ...(team ? { team } : {}),
  };
}
