/** Every policy of the Snapshot (`:policies`). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PolicyItem } from '../data/policy-items.js';
import { visiblePolicies } from '../state/select.js';
import type { ListViewProps } from './pods-view.js';

const COLUMNS: readonly Column<PolicyItem>[] = [
  { title: 'KIND', width: 22, cell: (p) => p.kind },
  { title: 'NAMESPACE', width: 14, cell: (p) => p.namespace ?? '-' },
  { title: 'NAME', cell: (p) => p.name },
  { title: 'SUMMARY', width: 22, cell: (p) => p.summary },
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
