/** `:ns` alone: the namespaces to pick from (Enter picks, 0 shows all). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { NamespaceItem } from '../data/service-items.js';
import { visibleNamespaces } from '../state/select.js';
import { pop, push, top } from '../state/navigation.js';
import { setNamespace } from '../state/command-reducer.js';
import { NAMESPACE_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';
import { tableProps, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, selectedOf, sortColumnKey } from './common-keys.js';

/** The navigation entry of this view. */
export interface NamespacesEntry {
  readonly view: 'namespaces';
  readonly cursor: number;
}

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

export const namespacesView: ViewDescriptor<'namespaces'> = {
  id: 'namespaces',
  title: 'Namespaces (:ns)',
  crumb: () => 'namespaces',
  aliases: [{ word: 'ns' }, { word: 'namespace' }, { word: 'namespaces' }],
  open: (state) =>
    top(state.stack).view === 'namespaces'
      ? state
      : { ...state, stack: push(state.stack, { view: 'namespaces', cursor: 0 }) },
  rows: (data, state) => visibleNamespaces(data, state).map((n) => n.name),
  render: (props) => <NamespacesView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    sortColumnKey(NAMESPACE_SORTS),
    {
      id: 'pick-namespace',
      keys: ['enter'],
      description: 'Show only this namespace (0 or :ns all: every namespace)',
      short: 'pick',
      category: 'filter',
      // that namespace everywhere, back to where `:ns` was typed
      run: (ctx) => {
        const { state, data } = ctx;
        const picked = selectedOf(visibleNamespaces(data, state), ctx);
        return picked ? setNamespace({ ...state, stack: pop(state.stack) }, picked.name) : state;
      },
      disabled: ({ state, data }) =>
        visibleNamespaces(data, state).length === 0 ? 'no namespace matches the filter' : null,
    },
    filterKey('Filter namespaces by text'),
  ],
};
