/**
 * Keys several views share (filter, all namespaces, Shift+column sort), built once so each
 * view's module lists them with its own description.
 */
import type { ViewName } from '../state/navigation.js';
import { SORT_KEYS, type SortableView } from '../state/table-sort.js';
import { nextSort, sortKeysDescription, type SortColumn } from '../state/table-sort.js';
import { pinSelections } from '../state/selection.js';
import { setNamespace } from '../state/command-reducer.js';
import { pop } from '../state/navigation.js';
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
    run: ({ state, data, entry, key }: KeyContext) => {
      if (!isSortable(entry.view)) return state;
      const pinned = pinSelections(data, state);
      const tableSorts = { ...pinned.tableSorts, [entry.view]: nextSort(pinned.tableSorts[entry.view], key) };
      return { ...pinned, tableSorts };
    },
  };
}

function isSortable(view: ViewName): view is SortableView {
  return view in SORT_KEYS;
}
