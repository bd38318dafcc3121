/** Every policy of the Snapshot (`:policies`). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PolicyItem } from '../data/policy-items.js';
import { visiblePolicies } from '../state/select.js';
import { POLICY_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';

function columns(sort: TableSort | undefined): Column<PolicyItem>[] {
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, POLICY_SORTS, sort);
  return [
    { title: 'KIND', min: 8, max: 26, cell: (p) => p.kind, ...mark('KIND') },
    { title: 'NAMESPACE', min: 9, max: 20, cell: (p) => p.namespace ?? '-', ...mark('NAMESPACE') },
    { title: 'NAME', min: 12, cell: (p) => p.name, ...mark('NAME') },
    { title: 'SUMMARY', min: 10, max: 40, drop: 1, cell: (p) => p.summary },
  ];
}

export function PoliciesView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  return (
    <TableView
      columns={columns(state.tableSorts.policies)}
      window={tableWindow(visiblePolicies(data, state), cursor, height)}
      cursor={cursor}
      width={width}
      empty="no policies in this source"
    />
  );
}
