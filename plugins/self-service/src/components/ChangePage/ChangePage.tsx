import { ReactNode, useCallback, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { parseEntityRef } from '@backstage/catalog-model';
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
  EmbeddableWorkflow,
  type WorkflowProps,
} from '@backstage/plugin-scaffolder-react/alpha';
import type { SelfServiceRequestDetail } from '@internal/plugin-self-service-common';
import useAsync from 'react-use/esm/useAsync';
import { selfServiceApiRef } from '../../api';
import { useRequestLink } from '../../hooks/useRequestLink';
import { rootRouteRef } from '../../routes';
import { errorMessage } from '../../utils/errors';
import { requestName } from '../../utils/requestTitle';
import { TEMPLATE_REF_CONTEXT_KEY } from '../CostEstimateField';
import { transformSelfServiceFormErrors } from '../formErrors';
import { changeFormFields, changeFormUiSchema } from './changeForm';

/** The final button of the form: it plans the change, nothing is applied yet. */
export const CHANGE_SUBMIT_LABEL = 'Plan change';

function ChangeFrame(props: {
  id: string;
  detail?: SelfServiceRequestDetail;
  children: ReactNode;
}) {
  const root = useRouteRef(rootRouteRef);
  const requestLink = useRequestLink();
  const title = props.detail
    ? `Change ${requestName(props.detail)}`
    : 'Change a resource';
  return (
    <Page themeId="tool">
      <Header
        title={title}
        subtitle={
          <Link to={requestLink(props.id)}>Back to the request {props.id}</Link>
        }
        type="Self-service"
        typeLink={root()}
      />
      <Content>{props.children}</Content>
    </Page>
  );
}

/**
 * The template's own form, prefilled with the resource's parameters. Its
 * submit asks the backend to run the template against the existing state
 * and follows that run on the scaffolder's task page, where the plan shows.
 */
function ChangeForm(props: { detail: SelfServiceRequestDetail }) {
  const { detail } = props;
  const api = useApi(selfServiceApiRef);
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string>();
  const template = parseEntityRef(detail.templateRef, {
    defaultKind: 'template',
  });
  const name = requestName(detail);

  // The form's button does not catch, so a refusal must not escape here.
  const onCreate = useCallback(
    async (values: Record<string, unknown>) => {
      setFailure(undefined);
      try {
        const { taskPath } = await api.startChange(detail.id, values);
        navigate(taskPath);
      } catch (error) {
        setFailure(errorMessage(error));
      }
    },
    [api, detail.id, navigate],
  );

  return (
    <>
      <Alert severity="info" data-testid="change-explanation">
        Changing {name}: the plan runs against the existing resource; approvers
        see the update and the cost difference; team and environment cannot
        change.
      </Alert>
      {failure && (
        <Box mt={2}>
          <Alert
            severity="error"
            data-testid="change-error"
            onClose={() => setFailure(undefined)}
          >
            {failure}
          </Alert>
        </Box>
      )}
      <EmbeddableWorkflow
        namespace={template.namespace}
        templateName={template.name}
        initialState={detail.parameters as WorkflowProps['initialState']}
        extensions={changeFormFields}
        formProps={{
          transformErrors: transformSelfServiceFormErrors,
          uiSchema: changeFormUiSchema,
          formContext: { [TEMPLATE_REF_CONTEXT_KEY]: detail.templateRef },
        }}
        components={{ createButtonText: CHANGE_SUBMIT_LABEL }}
        onCreate={onCreate}
        onError={error => (
          <ResponseErrorPanel
            error={error ?? new Error('The template could not be loaded')}
            title="Could not load the template's form"
          />
        )}
      />
    </>
  );
}

/** The change page, at `requests/:id/change` under the self-service page. */
export function ChangePage() {
  const { id = '' } = useParams();
  const api = useApi(selfServiceApiRef);
  const requestLink = useRequestLink();
  const {
    value: detail,
    loading,
    error,
  } = useAsync(() => api.getRequest(id), [api, id]);

  let body: ReactNode;
  if (error) {
    body = (
      <ResponseErrorPanel error={error} title="Could not load the request" />
    );
  } else if (loading || !detail) {
    body = <Progress />;
  } else if (!detail.canChange) {
    body = (
      <WarningPanel
        severity="info"
        title="This resource cannot be changed now"
        message={
          <>
            Only a provisioned resource without another change in progress can
            be changed, by its requester or its team.{' '}
            <Link to={requestLink(id)}>Back to the request</Link>.
          </>
        }
      />
    );
  } else {
    body = <ChangeForm detail={detail} />;
  }
  return (
    <ChangeFrame id={id} detail={detail}>
      {body}
    </ChangeFrame>
  );
}
