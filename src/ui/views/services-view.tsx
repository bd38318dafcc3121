/** `:svc`: the Services of the Snapshot, with what they select. */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { ServiceItem } from '../data/service-items.js';
import { visibleServices } from '../state/select.js';
import { SERVICE_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';
import { jumpTo, push } from '../state/navigation.js';
import { tableProps, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, openRowKey, selectedOf, sortColumnKey } from './common-keys.js';
import { describeKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface ServicesEntry {
  readonly view: 'services';
  readonly cursor: number;
}

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

const openService = openRowKey(
  'Describe the Service: ports, selector, pods and their policies',
  'describe',
  ({ state, data }) => visibleServices(data, state),
  (ctx) => {
    const s = selectedOf(visibleServices(ctx.data, ctx.state), ctx);
    return s
      ? { ...ctx.state, stack: push(ctx.state.stack, { view: 'service', cursor: 0, service: s.key }) }
      : ctx.state;
  },
);

export const servicesView: ViewDescriptor<'services'> = {
  id: 'services',
  title: 'Services',
  crumb: () => 'services',
  aliases: [{ word: 'svc' }, { word: 'service' }, { word: 'services' }],
  open: (state) => ({ ...state, stack: jumpTo(state.stack, 'services') }),
  rows: (data, state) => visibleServices(data, state).map((s) => s.key),
  render: (props) => <ServicesView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    describeKey(openService),
    sortColumnKey(SERVICE_SORTS),
    openService,
    filterKey('Filter Services by text'),
  ],
};
