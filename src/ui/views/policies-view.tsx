/** Every policy of the Snapshot (`:policies`). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PolicyItem } from '../data/policy-items.js';
import { visiblePolicies } from '../state/select.js';
import type { ListViewProps } from './pods-view.js';

const COLUMNS: readonly Column<PolicyItem>[] = [
  { title: 'KIND', min: 8, max: 26, cell: (p) => p.kind },
  { title: 'NAMESPACE', min: 9, max: 20, cell: (p) => p.namespace ?? '-' },
  { title: 'NAME', min: 12, cell: (p) => p.name },
  { title: 'SUMMARY', min: 10, max: 40, drop: 1, cell: (p) => p.summary },
];

export function PoliciesView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  return (
    <TableView
      columns={COLUMNS}
      window={tableWindow(visiblePolicies(data, state), cursor, height)}
      cursor={cursor}
      width={width}
      empty="no policies in this source"
    />
  );
}
