import { Table, TableColumn } from '@backstage/core-components';
import type { RequestEvent } from '@internal/plugin-self-service-common';
import { formatDateTime, stateLabel } from '../../utils/format';

const columns: TableColumn<RequestEvent>[] = [
  { title: 'When', field: 'createdAt', render: e => formatDateTime(e.createdAt) },
  { title: 'Who', field: 'actor' },
  { title: 'What', field: 'action' },
  {
    title: 'State',
    render: e =>
      e.fromState || e.toState
        ? `${e.fromState ? stateLabel(e.fromState) : '—'} → ${e.toState ? stateLabel(e.toState) : '—'}`
        : '',
  },
  { title: 'Why', field: 'reason' },
];

/** The append-only event log of the request. */
export function EventLog(props: { events: RequestEvent[] }) {
  const events = [...props.events].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <Table<RequestEvent>
      title="Event log"
      columns={columns}
      data={events}
      options={{ search: false, paging: false, padding: 'dense', sorting: false }}
    />
  );
}
