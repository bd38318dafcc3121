/** The pods table: k9s-style, filtered and sorted by the reducer's selectors. */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppState, UiData } from '../state/app-state.js';
import { denialCountsByPod, visiblePods } from '../state/select.js';
import { jumpTo, push } from '../state/navigation.js';
import { podRowKeys } from '../state/row-keys.js';
import { tableProps, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, openRowKey, podSortKeys, selectedOf } from './common-keys.js';
import { describeKey, explainFromHereKey, logLevelKey, openLogsKey, showYamlKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface PodsEntry {
  readonly view: 'pods';
  readonly cursor: number;
}

export interface ListViewProps {
  readonly data: UiData;
  readonly state: AppState;
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
}

type SortState = AppState['sort'];

function sortMark(sort: SortState, key: SortState['key']): Pick<Column<PodRow>, 'sorted'> {
  return sort.key === key ? { sorted: sort.descending ? 'descending' : 'ascending' } : {};
}

/** Content-sized columns; at 80 columns the waypoint, the service account, then the mesh column drop (and the header says so). */
function columns(counts: ReadonlyMap<string, number>, sort: SortState, waypoints: boolean): Column<PodRow>[] {
  return [
    { title: 'NAMESPACE', min: 9, max: 20, cell: (r) => r.namespace, ...sortMark(sort, 'namespace') },
    { title: 'NAME', min: 12, cell: (r) => r.name, ...sortMark(sort, 'name') },
    { title: 'READY', width: 5, cell: (r) => r.ready },
    { title: 'MESH', width: 7, drop: 1, cell: (r) => (r.dataplane === 'none' ? '-' : r.dataplane) },
    // only when some pod uses a waypoint (ambient meshes)
    ...(waypoints ? [{ title: 'WAYPOINT', max: 20, drop: 3, cell: (r: PodRow) => r.waypoint }] : []),
    { title: 'SERVICE ACCOUNT', max: 30, drop: 2, cell: (r) => r.serviceAccount },
    { title: 'NETPOL', width: 6, cell: (r) => r.isolation },
    { title: 'AUTHZ', width: 5, cell: (r) => String(r.authzPolicies.length) },
    { title: 'MTLS', min: 4, max: 10, cell: (r) => r.mtls },
    {
      title: 'DENIED',
      width: 7,
      cell: (r) => String(counts.get(r.key) ?? 0),
      tone: (r) => ((counts.get(r.key) ?? 0) > 0 ? 'error' : 'plain'),
      ...sortMark(sort, 'denials'),
    },
  ];
}

export function PodsView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visiblePods(data, state);
  const counts = denialCountsByPod(state.denials, state.now);
  return (
    <TableView
      columns={columns(
        counts,
        state.sort,
        rows.some((r) => r.waypoint !== '-'),
      )}
      window={tableWindow(rows, cursor, height)}
      cursor={cursor}
      width={width}
      empty={state.filters.pods ? `no pod matches "${state.filters.pods}"` : 'no pods in this source'}
    />
  );
}

const openPod = openRowKey(
  'Open the pod detail',
  'detail',
  ({ state, data }) => visiblePods(data, state),
  (ctx) => {
    const row = selectedOf(visiblePods(ctx.data, ctx.state), ctx);
    return row ? { ...ctx.state, stack: push(ctx.state.stack, { view: 'pod', cursor: 0, pod: row.key }) } : ctx.state;
  },
);

export const podsView: ViewDescriptor<'pods'> = {
  id: 'pods',
  title: 'Pods',
  crumb: () => 'pods',
  aliases: [{ word: 'pods' }, { word: 'pod' }, { word: 'po' }],
  open: (state) => ({ ...state, stack: jumpTo(state.stack, 'pods') }),
  rows: podRowKeys,
  render: (props) => <PodsView {...tableProps(props)} />,
  keys: [
    filterKey('Fuzzy filter pods by name, namespace, labels, service account'),
    openPod,
    openLogsKey('Tail the istio-proxy log of the pod'),
    logLevelKey('Raise the rbac logger to debug on the pods of this workload (restored on timeout and quit)'),
    explainFromHereKey(),
    allNamespacesKey(),
    ...podSortKeys({ name: 'Sort by name', namespace: 'Sort by namespace', denials: 'Sort by recent denials' }),
    showYamlKey(),
    describeKey(openPod),
  ],
};
