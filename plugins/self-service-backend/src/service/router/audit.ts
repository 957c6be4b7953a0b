import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/**
 * Runs a mutation inside an audit event: created before the work, marked
 * successful after it, or failed with the error, which is rethrown.
 * @internal
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: Request;
    meta?: JsonObject;
    successMeta?: (result: T) => JsonObject;
  },
  work: () => Promise<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: options.eventId,
    request: options.request,
    severityLevel: 'medium',
    meta: options.meta,
  });
  try {
    const result = await work();
    await event.success({ meta: options.successMeta?.(result) });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
