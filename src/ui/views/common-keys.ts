/**
 * Keys several views share (filter, all namespaces, Shift+column sort), built once so each
 * view's module lists them with its own description.
 */
import { nextSort, sortKeysDescription, type SortColumn } from '../state/table-sort.js';
import { pinSelections, selectedIndexBy } from '../state/selection.js';
import { setNamespace } from '../state/command-reducer.js';
import { pop } from '../state/navigation.js';
import type { AppState } from '../state/app-state.js';
import type { KeyContext, ViewKey } from './descriptor.js';

/** `/`: type a filter for this view's rows. */
export function filterKey(description: string): ViewKey {
  return {
    id: 'filter',
    keys: ['/'],
    description,
    short: 'filter',
    category: 'filter',
    run: ({ state, entry }) => {
      const text = state.filters[entry.view] ?? '';
      return { ...state, mode: { kind: 'filter', text, previous: text } };
    },
  };
}

/** `0` as k9s: every namespace (the `:ns` picker closes itself). */
export function allNamespacesKey(): ViewKey {
  return {
    id: 'all-namespaces',
    keys: ['0'],
    description: 'Show all namespaces (as k9s 0; :ns NAME picks one)',
    short: 'all ns',
    category: 'filter',
    run: ({ state, entry }) =>
      setNamespace(entry.view === 'namespaces' ? { ...state, stack: pop(state.stack) } : state, null),
    disabled: ({ state }) => (state.namespace === null ? 'already showing all namespaces' : null),
  };
}

/** Shift+column letter as k9s: sort by that column, again reverses; the selected row stays selected. */
export function sortColumnKey(columns: readonly SortColumn<never>[]): ViewKey {
  return {
    id: 'sort-column',
    keys: columns.map((c) => c.key),
    description: sortKeysDescription(columns),
    category: 'sort',
    run: ({ state, data, entry, key, rows }: KeyContext) => {
      const pinned = pinSelections(rows.keys, data, state);
      const tableSorts = { ...pinned.tableSorts, [entry.view]: nextSort(pinned.tableSorts[entry.view], key) };
      return { ...pinned, tableSorts };
    },
  };
}

/** The row under the cursor of a list view (the selection follows its identity). */
export function selectedOf<T>(shown: readonly T[], { state, data, entry, rows }: KeyContext): T | undefined {
  return shown[selectedIndexBy(rows.keys, data, state, entry)];
}

/** Enter on a list: open what `target` makes of the selected row; disabled on an empty list. */
export function openRowKey(
  description: string,
  short: string,
  rowsOf: (ctx: KeyContext) => readonly unknown[],
  open: (ctx: KeyContext) => AppState,
): ViewKey {
  return {
    id: 'open',
    keys: ['enter'],
    description,
    short,
    category: 'views',
    run: open,
    disabled: (ctx) => (rowsOf(ctx).length === 0 ? 'nothing to open: the list is empty' : null),
  };
}

type PodSort = AppState['sort'];

/** The pods-style sort keys (N S D, R reverses) over `state.sort`; the map reads them as its own columns. */
export function podSortKeys(described: {
  readonly name: string;
  readonly namespace: string;
  readonly denials: string;
}): ViewKey[] {
  const sortBy =
    (next: (sort: PodSort) => PodSort) =>
    ({ state, data, rows }: KeyContext): AppState => {
      const pinned = pinSelections(rows.keys, data, state);
      return { ...pinned, sort: next(state.sort) };
    };
  return [
    {
      id: 'sort-name',
      keys: ['N'],
      description: described.name,
      category: 'sort',
      run: sortBy(() => ({ key: 'name', descending: false })),
    },
    {
      id: 'sort-namespace',
      keys: ['S'],
      description: described.namespace,
      category: 'sort',
      run: sortBy(() => ({ key: 'namespace', descending: false })),
    },
    {
      id: 'sort-denials',
      keys: ['D'],
      description: described.denials,
      category: 'sort',
      run: sortBy(() => ({ key: 'denials', descending: true })),
    },
    {
      id: 'sort-reverse',
      keys: ['R'],
      description: 'Reverse the sort order',
      category: 'sort',
      run: sortBy((sort) => ({ ...sort, descending: !sort.descending })),
    },
  ];
}
