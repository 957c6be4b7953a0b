import { useRouteRef } from '@backstage/core-plugin-api';
import { requestRouteRef } from '../routes';

/**
 * Builds links to request pages. Entity cards may render in an app where the
 * self-service page is not mounted; they then fall back to the documented
 * default mount path instead of failing the whole card.
 */
export function useRequestLink(): (id: string) => string {
  let route: ((params: { id: string }) => string) | undefined;
  try {
    route = useRouteRef(requestRouteRef);
  } catch {
    route = undefined;
  }
  return id =>
    route ? route({ id }) : `/self-service/requests/${encodeURIComponent(id)}`;
}
