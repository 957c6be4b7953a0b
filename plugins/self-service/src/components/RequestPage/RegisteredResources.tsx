import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { ANNOTATION_REQUEST_ID } from '@internal/plugin-self-service-common';
import { useEffect } from 'react';
import { useRefetchableAsync } from '../../hooks/useRefetchableAsync';

/** How often, and how long, to look again while the catalog has no entity. */
const LOOK_AGAIN_MS = 5000;
const LOOK_AGAIN_TIMES = 24;

/**
 * The catalog entities of a provisioned request: the `Resource` the
 * self-service catalog module registers for it (found by its request-id
 * annotation) plus any refs the apply run reported. The catalog picks a
 * request up within seconds of its success (no signal says when), so until
 * then it says so and looks again every few seconds, for two minutes.
 */
export function RegisteredResources(props: {
  requestId: string;
  reportedRefs: string[];
}) {
  const { requestId, reportedRefs } = props;
  const catalogApi = useApi(catalogApiRef);
  const { value, error, retry } = useRefetchableAsync(
    () =>
      catalogApi.getEntities({
        filter: {
          kind: 'Resource',
          [`metadata.annotations.${ANNOTATION_REQUEST_ID}`]: requestId,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      }),
    [catalogApi, requestId],
  );
  const refs = [
    ...new Set([
      ...(value?.items ?? []).map(entity => stringifyEntityRef(entity)),
      ...reportedRefs,
    ]),
  ];
  const found = refs.length > 0;
  useEffect(() => {
    if (found) return undefined;
    let times = 0;
    const timer = setInterval(() => {
      times += 1;
      if (times >= LOOK_AGAIN_TIMES) clearInterval(timer);
      retry();
    }, LOOK_AGAIN_MS);
    return () => clearInterval(timer);
  }, [found, retry]);
  if (!found) {
    return (
      <Typography variant="body2">
        {error
          ? `Could not read the catalog: ${error.message}`
          : 'Not in the catalog yet; it registers a provisioned request within seconds.'}
      </Typography>
    );
  }
  return (
    <ul aria-label="Registered resources">
      {refs.map(ref => (
        <li key={ref}>
          <EntityRefLink entityRef={ref} defaultKind="resource" />
        </li>
      ))}
    </ul>
  );
}
