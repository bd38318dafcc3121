/** `:svc`: the Services of the Snapshot, with what they select. */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { ServiceItem } from '../data/service-items.js';
import { visibleServices } from '../state/select.js';
import { SERVICE_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';

function columns(sort: TableSort | undefined): Column<ServiceItem>[] {
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, SERVICE_SORTS, sort);
  return [
    { title: 'NAMESPACE', min: 9, max: 20, cell: (s) => s.namespace, ...mark('NAMESPACE') },
    { title: 'NAME', min: 12, cell: (s) => s.name, ...mark('NAME') },
    { title: 'TYPE', min: 4, max: 12, drop: 2, cell: (s) => s.type, ...mark('TYPE') },
    { title: 'CLUSTER-IP', min: 10, max: 39, drop: 1, cell: (s) => s.clusterIP },
    { title: 'PORTS', min: 8, max: 40, cell: (s) => s.ports.join(',') },
    { title: 'PODS', width: 4, cell: (s) => String(s.pods.length), ...mark('PODS') },
  ];
}

export function ServicesView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  return (
    <TableView
      columns={columns(state.tableSorts.services)}
      window={tableWindow(visibleServices(data, state), cursor, height)}
      cursor={cursor}
      width={width}
      empty={state.filters.services ? `no Service matches "${state.filters.services}"` : 'no Services in this source'}
    />
  );
}
