import { Table, TableColumn } from '@backstage/core-components';
import type { RequestEvent } from '@internal/plugin-self-service-common';
import { eventLabel, formatDateTime, stateLabel } from '../../utils/format';

// Short columns keep to one line; on a narrow screen the table scrolls
// sideways instead of breaking refs and dates into fragments.
const nowrap = { whiteSpace: 'nowrap' } as const;

const columnsFor = (
  stages: ReadonlyArray<{ name: string }>,
): TableColumn<RequestEvent>[] => [
  {
    title: 'When',
    field: 'createdAt',
    render: e => formatDateTime(e.createdAt),
    cellStyle: nowrap,
  },
  { title: 'Who', field: 'actor', cellStyle: nowrap },
  {
    title: 'What',
    field: 'action',
    cellStyle: nowrap,
    render: e => eventLabel(e.action, stages),
  },
  {
    title: 'State',
    cellStyle: nowrap,
    render: e =>
      e.fromState || e.toState
        ? `${e.fromState ? stateLabel(e.fromState) : '—'} → ${e.toState ? stateLabel(e.toState) : '—'}`
        : '',
  },
  { title: 'Why', field: 'reason', cellStyle: { minWidth: 200 } },
];

/** The append-only event log of the request. */
export function EventLog(props: {
  events: RequestEvent[];
  /** The request's approval stages, to name them in decision events. */
  stages?: ReadonlyArray<{ name: string }>;
}) {
  const events = [...props.events].sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );
  return (
    <Table<RequestEvent>
      title="Event log"
      columns={columnsFor(props.stages ?? [])}
      data={events}
      options={{
        search: false,
        paging: false,
        padding: 'dense',
        sorting: false,
      }}
    />
  );
}
