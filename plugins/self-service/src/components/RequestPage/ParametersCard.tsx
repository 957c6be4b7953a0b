import Typography from '@material-ui/core/Typography';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';

/** The template parameters as submitted. */
export function ParametersCard(props: { parameters: Record<string, unknown> }) {
  const entries = Object.keys(props.parameters);
  return (
    <InfoCard title="Parameters">
      {entries.length === 0 ? (
        <Typography variant="body2">No parameters.</Typography>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <StructuredMetadataTable
            metadata={props.parameters as { [key: string]: any }}
            dense
          />
        </div>
      )}
    </InfoCard>
  );
}
