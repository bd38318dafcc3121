/** The pods table: k9s-style, filtered and sorted by the reducer's selectors. */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppState, UiData } from '../state/app-state.js';
import { denialCountsByPod, visiblePods } from '../state/select.js';

export interface ListViewProps {
  readonly data: UiData;
  readonly state: AppState;
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
}

function columns(counts: ReadonlyMap<string, number>, wide: boolean): Column<PodRow>[] {
  const cols: Column<PodRow>[] = [
    { title: 'NAMESPACE', width: 12, cell: (r) => r.namespace },
    { title: 'NAME', cell: (r) => r.name },
    { title: 'READY', width: 5, cell: (r) => r.ready },
    { title: 'SIDECAR', width: 7, cell: (r) => (r.sidecar ? 'yes' : 'no') },
  ];
  if (wide) cols.push({ title: 'SERVICE ACCOUNT', width: 16, cell: (r) => r.serviceAccount });
  cols.push(
    { title: 'NETPOL', width: 6, cell: (r) => r.isolation },
    { title: 'AUTHZ', width: 5, cell: (r) => String(r.authzPolicies.length) },
    { title: 'MTLS', width: 10, cell: (r) => r.mtls },
    {
      title: 'DENIED',
      width: 6,
      cell: (r) => String(counts.get(r.key) ?? 0),
      tone: (r) => ((counts.get(r.key) ?? 0) > 0 ? 'error' : 'plain'),
    },
  );
  return cols;
}

export function PodsView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visiblePods(data, state);
  const counts = denialCountsByPod(state.denials, state.now);
  return (
    <TableView
      columns={columns(counts, width >= 110)}
      window={tableWindow(rows, cursor, height)}
      cursor={cursor}
      width={width}
      empty={state.filters.pods ? `no pod matches "${state.filters.pods}"` : 'no pods in this source'}
    />
  );
}
