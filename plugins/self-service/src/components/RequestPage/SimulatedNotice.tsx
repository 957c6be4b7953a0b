import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';

/**
 * Says, at the top of a request, that its plan and apply were replayed by
 * the recorded runner because this Backstage has no Terraform: the flow is
 * real, the infrastructure is not, and nobody should think otherwise.
 */
export function SimulatedNotice(props: { request: Pick<SelfServiceRequest, 'planSummary'> }) {
  if (!props.request.planSummary?.simulated) return null;
  return (
    <Alert severity="warning" data-testid="simulated-notice">
      <AlertTitle>Simulated</AlertTitle>
      This Backstage has no Terraform, so the plan below and any apply are
      replayed from recorded Terraform output. Nothing is provisioned or
      destroyed; approvals, budgets and the catalog entry are real records of a
      simulated resource. Install Terraform (or OpenTofu) on the backend host to
      provision for real.
    </Alert>
  );
}
