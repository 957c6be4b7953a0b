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

/** `1 day`, `14 days`. */
export function formatDays(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/**
 * What a request asks for, in a list: the resource's name for a new one,
 * `Change: orders-db` for a day-2 change, `Extend orders-db by 14 days` for
 * an extension. Lists mix the three, so the kind leads.
 */
export function requestLabel(request: SelfServiceRequest): string {
  const name = requestName(request);
  if (request.kind === 'change') {
    return `Change: ${name}`;
  }
  if (request.kind === 'extension') {
    const days = request.extension?.days;
    return days ? `Extend ${name} by ${formatDays(days)}` : `Extend ${name}`;
  }
  return name;
}

/**
 * A request's human name: `PostgreSQL database · orders-db (production)`,
 * `Change: PostgreSQL database · orders-db (production)` or `Extend
 * orders-db by 14 days (staging)`. Without the template's title, the
 * template's name stands in.
 */
export function requestTitle(
  request: SelfServiceRequest,
  templateTitle?: string,
): string {
  if (request.kind === 'extension') {
    return `${requestLabel(request)} (${request.environment})`;
  }
  const template = templateTitle || shortRef(request.templateRef);
  const title = `${template} · ${requestName(request)} (${request.environment})`;
  return request.kind === 'change' ? `Change: ${title}` : title;
}
