import { ReactNode } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { SelfServiceRequest } from '@internal/plugin-self-service-common';
import { useRequestLink } from '../../hooks/useRequestLink';
import { formatMoney, formatRelative, shortRef } from '../../utils/format';
import { requestLabel } from '../../utils/requestTitle';
import { EnvironmentChip } from './EnvironmentChip';
import { StateChip } from './StateChip';

/** The columns a list can show. */
export type RequestColumn =
  | 'template'
  | 'requester'
  | 'team'
  | 'environment'
  | 'cost'
  | 'age'
  | 'stage'
  | 'state'
  | 'resources'
  | 'expires';

/** The name of the approval stage a pending request is in. */
export function stageName(request: SelfServiceRequest): string | undefined {
  const stages = request.approvalPolicy.stages;
  if (request.currentStage === null || !stages[request.currentStage]) {
    return undefined;
  }
  return `${stages[request.currentStage].name} (${request.currentStage + 1} of ${stages.length})`;
}

// Short values keep to one line; on a narrow screen the table scrolls.
const nowrap = { whiteSpace: 'nowrap' } as const;

function useColumns(keys: RequestColumn[]): TableColumn<SelfServiceRequest>[] {
  const requestLink = useRequestLink();
  const all: Record<RequestColumn, TableColumn<SelfServiceRequest>> = {
    template: {
      title: 'Request',
      field: 'templateRef',
      // What was asked for first (its name, or the change or extension of
      // it), then from which template.
      render: r => (
        <>
          <Link to={requestLink(r.id)}>{requestLabel(r)}</Link>
          <Typography variant="caption" display="block" color="textSecondary">
            {shortRef(r.templateRef)}
            {r.planSummary?.simulated ? ' · simulated' : ''}
          </Typography>
        </>
      ),
    },
    requester: {
      title: 'Requester',
      field: 'requester',
      render: r => <EntityRefLink entityRef={r.requester} defaultKind="user" />,
    },
    team: {
      title: 'Team',
      field: 'team',
      render: r => <EntityRefLink entityRef={r.team} defaultKind="group" />,
    },
    environment: {
      title: 'Environment',
      field: 'environment',
      render: r => <EnvironmentChip environment={r.environment} />,
    },
    cost: {
      title: 'Monthly cost',
      cellStyle: nowrap,
      field: 'cost.monthlyTotal',
      type: 'numeric',
      render: r =>
        `${formatMoney(r.cost.monthlyTotal, r.cost.currency)}${
          r.cost.unpriced.length ? ' +' : ''
        }`,
    },
    age: {
      title: 'Age',
      cellStyle: nowrap,
      field: 'createdAt',
      render: r => (
        <span title={r.createdAt}>{formatRelative(r.createdAt)}</span>
      ),
    },
    stage: {
      title: 'Stage',
      cellStyle: nowrap,
      render: r => stageName(r) ?? '—',
    },
    state: {
      title: 'State',
      field: 'state',
      render: r => <StateChip state={r.state} />,
    },
    resources: {
      title: 'Resources',
      render: r =>
        r.resourceRefs.length ? (
          <EntityRefLinks entityRefs={r.resourceRefs} defaultKind="resource" />
        ) : (
          '—'
        ),
    },
    expires: {
      title: 'Expires',
      cellStyle: nowrap,
      field: 'expiresAt',
      render: r => (r.expiresAt ? formatRelative(r.expiresAt) : 'never'),
    },
  };
  return keys.map(key => all[key]);
}

/**
 * A list of requests. The table scrolls sideways on narrow screens instead
 * of squeezing its columns.
 */
export function RequestsTable(props: {
  title: string;
  requests: SelfServiceRequest[];
  columns: RequestColumn[];
  emptyContent: ReactNode;
  loading?: boolean;
}) {
  const columns = useColumns(props.columns);
  return (
    <Table<SelfServiceRequest>
      title={props.title}
      columns={columns}
      data={props.requests}
      isLoading={props.loading}
      emptyContent={props.emptyContent}
      options={{
        search: false,
        paging: false,
        padding: 'dense',
        sorting: true,
      }}
    />
  );
}
