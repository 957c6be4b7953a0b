import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import type {
  Finding,
  FindingSeverity,
} from '@internal/plugin-self-service-common';

const ORDER: FindingSeverity[] = ['deny', 'require-approval', 'warn'];

const PRESENTATION: Record<
  FindingSeverity,
  { label: string; severity: 'error' | 'warning' | 'info' }
> = {
  deny: { label: 'Denied', severity: 'error' },
  'require-approval': { label: 'Needs approval', severity: 'warning' },
  warn: { label: 'Warning', severity: 'info' },
};

/** Guardrail findings, the blocking ones first. */
export function FindingsCard(props: { findings: Finding[] }) {
  const findings = [...props.findings].sort(
    (a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity),
  );
  return (
    <InfoCard title="Guardrails">
      {findings.length === 0 && (
        <Typography variant="body2">
          Every guardrail passed without a finding.
        </Typography>
      )}
      {findings.map((finding, index) => {
        const { label, severity } = PRESENTATION[finding.severity];
        return (
          <Box key={`${finding.code}-${index}`} mb={1}>
            <Alert severity={severity}>
              <Typography variant="subtitle2" component="span">
                {label}:{' '}
              </Typography>
              {finding.message}
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {finding.code}
                {finding.rule ? ` · rule ${finding.rule}` : ''}
              </Typography>
            </Alert>
          </Box>
        );
      })}
    </InfoCard>
  );
}
