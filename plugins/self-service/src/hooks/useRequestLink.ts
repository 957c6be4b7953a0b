import { useRouteRef } from '@backstage/core-plugin-api';
import { requestRouteRef } from '../routes';

/** Builds links to request pages. */
export function useRequestLink(): (id: string) => string {
  const route = useRouteRef(requestRouteRef);
  return id => route({ id });
}
