import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import { shortRef } from './format';

/** The requested resource's name, as the requester typed it. */
export function requestName(request: SelfServiceRequest): string {
  const fromParameters = request.parameters?.name;
  return (
    request.resourceName ??
    (typeof fromParameters === 'string' && fromParameters
      ? fromParameters
      : request.id.slice(0, 8))
  );
}

/**
 * A request's human name: `PostgreSQL database · orders-db (production)`.
 * Without the template's title, the template's name stands in.
 */
export function requestTitle(
  request: SelfServiceRequest,
  templateTitle?: string,
): string {
  const template = templateTitle || shortRef(request.templateRef);
  return `${template} · ${requestName(request)} (${request.environment})`;
}
