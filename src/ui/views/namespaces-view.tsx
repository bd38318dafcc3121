/** `:ns` alone: the namespaces to pick from (Enter picks, 0 shows all). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { NamespaceItem } from '../data/service-items.js';
import { visibleNamespaces } from '../state/select.js';
import { NAMESPACE_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';

function columns(sort: TableSort | undefined, current: string | null): Column<NamespaceItem>[] {
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, NAMESPACE_SORTS, sort);
  return [
    { title: ' ', width: 1, cell: (n) => (n.name === current ? '*' : ' ') },
    { title: 'NAME', min: 12, cell: (n) => n.name, ...mark('NAME') },
    { title: 'PODS', width: 6, cell: (n) => String(n.pods), ...mark('PODS') },
    { title: 'POLICIES', width: 8, cell: (n) => String(n.policies), ...mark('POLICIES') },
  ];
}

export function NamespacesView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  return (
    <TableView
      columns={columns(state.tableSorts.namespaces, state.namespace)}
      window={tableWindow(visibleNamespaces(data, state), cursor, height)}
      cursor={cursor}
      width={width}
      empty="no namespace matches"
    />
  );
}
