import { ReactNode, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import Grid from '@material-ui/core/Grid';
import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  IN_FLIGHT_STATES,
  type SelfServiceRequestDetail,
} from '@internal/plugin-self-service-common';
import { useRefetchableAsync } from '../../hooks/useRefetchableAsync';
import { selfServiceApiRef } from '../../api';
import { useRequestLink } from '../../hooks/useRequestLink';
import { useSelfServiceSignal } from '../../hooks/useSelfServiceSignal';
import { useTemplateTitle } from '../../hooks/useTemplateTitle';
import { rootRouteRef } from '../../routes';
import { errorStatus } from '../../utils/errors';
import { requestTitle } from '../../utils/requestTitle';
import { ApprovalStagesCard } from './ApprovalStagesCard';
import { CostCard } from './CostCard';
import { DecisionTimeline } from './DecisionTimeline';
import { EventLog } from './EventLog';
import { FindingsCard } from './FindingsCard';
import { FollowUpNotice } from './FollowUpNotice';
import { FollowUpsCard } from './FollowUpsCard';
import { LinksCard } from './LinksCard';
import { ParametersCard } from './ParametersCard';
import { PlanSummaryCard } from './PlanSummaryCard';
import { RequestActions } from './RequestActions';
import { ResourceActions } from './ResourceActions';
import { RequestSummaryCard } from './RequestSummaryCard';
import { SimulatedNotice } from './SimulatedNotice';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ERROR_TITLES: Record<number, string> = {
  403: 'You may not see this request',
  404: 'There is no such request',
};

/** The body of a loaded request. */
export function RequestDetailView(props: {
  detail: SelfServiceRequestDetail;
  onChanged: (detail: SelfServiceRequestDetail) => void;
  /** Loads the request again (after an action that answers with another request). */
  onRefresh: () => void;
}) {
  const { detail, onChanged, onRefresh } = props;
  const isFollowUp = detail.kind === 'change' || detail.kind === 'extension';
  return (
    <Grid container spacing={3}>
      {isFollowUp && (
        <Grid item xs={12}>
          <FollowUpNotice detail={detail} />
        </Grid>
      )}
      {detail.planSummary?.simulated && (
        <Grid item xs={12}>
          <SimulatedNotice request={detail} />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <RequestSummaryCard
          detail={detail}
          actions={
            <>
              <RequestActions detail={detail} onChanged={onChanged} />
              <ResourceActions detail={detail} onRefresh={onRefresh} />
            </>
          }
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <CostCard request={detail} />
      </Grid>
      {detail.followUps && detail.followUps.length > 0 && (
        <Grid item xs={12} md={6}>
          <FollowUpsCard followUps={detail.followUps} />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <FindingsCard findings={detail.findings} />
      </Grid>
      <Grid item xs={12} md={6}>
        <ApprovalStagesCard detail={detail} />
      </Grid>
      {/* An extension runs no Terraform: it only moves the expiry. */}
      {detail.kind !== 'extension' && (
        <Grid item xs={12}>
          <PlanSummaryCard plan={detail.planSummary} />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <ParametersCard parameters={detail.parameters} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DecisionTimeline detail={detail} />
      </Grid>
      {detail.kind !== 'extension' && (
        <Grid item xs={12} md={6}>
          <LinksCard detail={detail} />
        </Grid>
      )}
      <Grid item xs={12}>
        <EventLog events={detail.events} stages={detail.stages} />
      </Grid>
    </Grid>
  );
}

/** States a request leaves without anyone acting on the page. */
const IN_FLIGHT_POLL_MS = 5000;

/** The request's id and, for a change or extension, the request it is about. */
function FrameSubtitle(props: {
  id: string;
  detail?: SelfServiceRequestDetail;
}) {
  const { id, detail } = props;
  const requestLink = useRequestLink();
  const target = detail?.targetRequestId;
  if (!target || (detail.kind !== 'change' && detail.kind !== 'extension')) {
    return <>Request {id}</>;
  }
  return (
    <>
      Request {id} · {detail.kind === 'change' ? 'changes' : 'extends'}{' '}
      <Link to={requestLink(target)} color="inherit" underline="always">
        request {target.slice(0, 8)}
      </Link>
    </>
  );
}

/** The page's frame: the request's human name once it is known. */
function RequestFrame(props: {
  id: string;
  detail?: SelfServiceRequestDetail;
  children: ReactNode;
}) {
  const { id, detail } = props;
  const root = useRouteRef(rootRouteRef);
  const templateTitle = useTemplateTitle(detail?.templateRef);
  const title = detail
    ? requestTitle(detail, templateTitle)
    : 'Self-service request';
  return (
    <Page themeId="tool">
      <Header
        title={title}
        subtitle={<FrameSubtitle id={id} detail={detail} />}
        type="Self-service"
        typeLink={root()}
      />
      <Content>{props.children}</Content>
    </Page>
  );
}

function RequestContent(props: { id: string }) {
  const { id } = props;
  const api = useApi(selfServiceApiRef);
  const { value, loading, error, retry } = useRefetchableAsync(
    () => api.getRequest(id),
    [api, id],
  );
  // The answer of an action is newer than the last fetch until the next one.
  const [updated, setUpdated] = useState<SelfServiceRequestDetail>();
  useEffect(() => setUpdated(undefined), [value]);
  useSelfServiceSignal(retry, id);

  const detail = updated ?? value;
  // Signals are best effort (a dropped websocket loses them), so while the
  // request is being applied or torn down the page also looks every few
  // seconds; it stops once the request settles.
  const inFlight = Boolean(detail && IN_FLIGHT_STATES.includes(detail.state));
  useEffect(() => {
    if (!inFlight) return undefined;
    const timer = setInterval(retry, IN_FLIGHT_POLL_MS);
    return () => clearInterval(timer);
  }, [inFlight, retry]);
  let body: ReactNode = null;
  if (error && !detail) {
    const status = errorStatus(error);
    body = (
      <ResponseErrorPanel
        error={error}
        title={(status && ERROR_TITLES[status]) || 'Could not load the request'}
      />
    );
  } else if (loading && !detail) {
    body = <Progress />;
  } else if (detail) {
    body = (
      <RequestDetailView
        detail={detail}
        onChanged={setUpdated}
        onRefresh={retry}
      />
    );
  }
  return (
    <RequestFrame id={id} detail={detail}>
      {body}
    </RequestFrame>
  );
}

/** The page of one request, at `requests/:id` under the self-service page. */
export function RequestPage() {
  const { id = '' } = useParams();
  const root = useRouteRef(rootRouteRef);
  if (UUID.test(id)) {
    return <RequestContent id={id} />;
  }
  return (
    <RequestFrame id={id}>
      <WarningPanel
        severity="error"
        title="This is not a request id"
        message={
          <>
            Request ids look like 8f14e45f-ceea-467a-9575-8a3b3c1f0c01; “{id}”
            is not one. Find the request in{' '}
            <Link to={root()}>your inbox or your requests</Link>.
          </>
        }
      />
    </RequestFrame>
  );
}
