import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The title of a Template entity (`metadata.title`), or undefined while it
 * loads or when the catalog has none (the caller falls back to the name).
 */
export function useTemplateTitle(templateRef: string | undefined) {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    if (!templateRef) return undefined;
    try {
      const entity = await catalogApi.getEntityByRef(templateRef);
      return entity?.metadata.title;
    } catch {
      return undefined;
    }
  }, [catalogApi, templateRef]);
  return value;
}
