import Typography from '@material-ui/core/Typography';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';

const YES_NO: Record<string, string> = { true: 'yes', false: 'no' };

/**
 * Booleans as words: the table would draw them as emoji, which a screen
 * without an emoji font (and a screen reader) renders poorly.
 */
function readable(parameters: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [
      key,
      typeof value === 'boolean' ? YES_NO[String(value)] : value,
    ]),
  );
}

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
            metadata={readable(props.parameters) as { [key: string]: any }}
            dense
          />
        </div>
      )}
    </InfoCard>
  );
}
