/**
 * `:map`: the allowed edges into and out of the current namespace's workloads, from the engine's
 * connectivity map, beside the denials the logs showed for the same pair. Enter explains an edge.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import type { MapRow } from '../data/map-rows.js';
import type { AppState } from '../state/app-state.js';
import { visibleMapRows } from '../state/select.js';
import type { ListViewProps } from './pods-view.js';
import { jumpTo } from '../state/navigation.js';
import { mapRowKeys } from '../state/row-keys.js';
import { currentEdge, explainEdge, explainEdgeDisabledReason } from '../state/explain-from-edge.js';
import { tableProps, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, podSortKeys } from './common-keys.js';

/** The navigation entry of this view. */
export interface MapEntry {
  readonly view: 'map';
  readonly cursor: number;
}

type SortState = AppState['sort'];

function sortMark(sort: SortState, key: SortState['key']): Pick<Column<MapRow>, 'sorted'> {
  return sort.key === key ? { sorted: sort.descending ? 'descending' : 'ascending' } : {};
}

function columns(sort: SortState): Column<MapRow>[] {
  return [
    { title: 'FROM', min: 12, cell: (r) => r.src, ...sortMark(sort, 'namespace') },
    { title: 'TO', min: 12, cell: (r) => r.dst, ...sortMark(sort, 'name') },
    { title: 'PORTS', min: 8, max: 40, cell: (r) => r.ports },
    { title: 'LAYERS', min: 6, max: 20, drop: 2, cell: (r) => r.layers },
    { title: 'MTLS', width: 4, drop: 3, cell: (r) => (r.mtls ? 'yes' : '-') },
    {
      title: 'DENIED',
      width: 6,
      cell: (r) => String(r.deniedSeen),
      tone: (r) => (r.deniedSeen > 0 ? 'error' : 'plain'),
      ...sortMark(sort, 'denials'),
    },
    { title: 'HTTP RULES', min: 10, drop: 1, cell: (r) => r.http || '-' },
  ];
}

export function MapView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visibleMapRows(data, state);
  const selected = rows[cursor];
  const preview = selected ? `${selected.src} -> ${selected.dst}  ${selected.ports}  ${selected.http}` : '';
  return (
    <Box flexDirection="column">
      <TableView
        columns={columns(state.sort)}
        window={tableWindow(rows, cursor, Math.max(1, height - 1))}
        cursor={cursor}
        width={width}
        empty="no allowed connections into or out of this namespace"
      />
      <Text bold>{fit(preview, width)}</Text>
    </Box>
  );
}

export const mapView: ViewDescriptor<'map'> = {
  id: 'map',
  title: 'Map (allowed edges of the namespace)',
  crumb: () => 'map',
  aliases: [{ word: 'map' }],
  open: (state) => ({ ...state, stack: jumpTo(state.stack, 'map') }),
  rows: mapRowKeys,
  render: (props) => <MapView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    {
      id: 'open',
      keys: ['enter'],
      description:
        'Explain this edge: a pod of its source to a pod of its destination (an external class: an address in it), on the first allowed TCP port',
      short: 'explain',
      category: 'views',
      run: ({ state, data }) => {
        const edge = currentEdge(state, data);
        return edge ? explainEdge(state, data, edge) : state;
      },
      disabled: ({ state, data }) => explainEdgeDisabledReason(currentEdge(state, data)),
    },
    filterKey('Filter edges by workload, ports, layer or HTTP rule'),
    ...podSortKeys({ name: 'Sort by destination', namespace: 'Sort by source', denials: 'Sort by denials seen' }),
  ],
};
