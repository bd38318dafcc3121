/**
 * Selection by identity: in live and re-sorted lists (denials, pods sorted by denials, logs)
 * the cursor stays on the same object, as k9s keeps the selected row when a table refreshes.
 * Rows are keyed by what they are (pod key, correlator denial id, policy key, log line number),
 * never by position.
 *
 * The rows of a view are its descriptor's to say (views/registry.ts), and the registry imports
 * this layer: so the caller hands the row lookup in (`RowKeysOf`, `RowLookup`) instead of this
 * module importing the views, which would close an import cycle.
 */
import type { AppState, UiData } from './app-state.js';
import type { NavStack, ViewEntry } from './navigation.js';
import { visibleLogLines } from './select.js';

/** Identity keys of the rows `entry`'s view shows, in display order; null for document views. */
export type RowKeysOf = (data: UiData, state: AppState, entry: ViewEntry) => readonly string[] | null;

/** How any view's rows are found: views/view-keys.ts `VIEW_ROWS` answers from the registry. */
export interface RowLookup {
  readonly keys: RowKeysOf;
  /** how many positions the cursor moves over in the top view */
  readonly count: (data: UiData, state: AppState) => number;
}

/** Where the selected object is now among the rows `rowKeysOf` gives; the stored position when it has gone. */
export function selectedIndexBy(rowKeysOf: RowKeysOf, data: UiData, state: AppState, entry: ViewEntry): number {
  if (entry.view === 'logs' && entry.options.autoscroll) return Math.max(0, visibleLogLines(state, entry).length - 1);
  const keys = rowKeysOf(data, state, entry);
  if (keys === null) return entry.cursor;
  const at = entry.selected === undefined ? -1 : keys.indexOf(entry.selected);
  return at >= 0 ? at : Math.min(entry.cursor, Math.max(0, keys.length - 1));
}

/** The entry with row `index` selected (its identity recorded). */
export function selectRow(
  rowKeysOf: RowKeysOf,
  data: UiData,
  state: AppState,
  entry: ViewEntry,
  index: number,
): ViewEntry {
  const key = rowKeysOf(data, state, entry)?.[index];
  const { selected: _dropped, ...rest } = entry;
  return key === undefined ? { ...rest, cursor: index } : { ...rest, cursor: index, selected: key };
}

/** Forgets the selection: the list starts again at its first row (new filter, new namespace). */
export function resetSelection(entry: ViewEntry): ViewEntry {
  const { selected: _dropped, ...rest } = entry;
  return { ...rest, cursor: 0 };
}

/**
 * Before rows change (a feed batch, a new sort), records the identity of the row under each
 * list's cursor, so the rows that arrive are added around it instead of shifting under it.
 */
export function pinSelections(rowKeysOf: RowKeysOf, data: UiData, state: AppState): AppState {
  let changed = false;
  const stack = state.stack.map((entry) => {
    if (entry.selected !== undefined || (entry.view === 'logs' && entry.options.autoscroll)) return entry;
    const keys = rowKeysOf(data, state, entry);
    if (keys === null || keys.length === 0) return entry;
    changed = true;
    return selectRow(rowKeysOf, data, state, entry, selectedIndexBy(rowKeysOf, data, state, entry));
  });
  return changed ? { ...state, stack: stack as unknown as NavStack } : state;
}
