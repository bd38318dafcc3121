/**
 * Selection by identity: in live and re-sorted lists (denials, pods sorted by denials, logs)
 * the cursor stays on the same object, as k9s keeps the selected row when a table refreshes.
 * Rows are keyed by what they are (pod key, correlator denial id, policy key, log line number),
 * never by position.
 */
import { rowKeys } from '../views/view-content.js';
import type { AppState, UiData } from './app-state.js';
import { replaceTop, top, type NavStack, type ViewEntry } from './navigation.js';
import { visibleLogLines } from './select.js';

/** Identity keys of the rows a list view shows, in display order (its descriptor says); null for document views. */
export function listKeys(data: UiData, state: AppState, entry: ViewEntry): readonly string[] | null {
  return rowKeys(data, state, entry);
}

/** Where the selected object is now; the stored position when it has gone (or nothing was picked yet). */
export function selectedIndex(data: UiData, state: AppState, entry: ViewEntry): number {
  if (entry.view === 'logs' && entry.options.autoscroll) return Math.max(0, visibleLogLines(state, entry).length - 1);
  const keys = listKeys(data, state, entry);
  if (keys === null) return entry.cursor;
  const at = entry.selected === undefined ? -1 : keys.indexOf(entry.selected);
  return at >= 0 ? at : Math.min(entry.cursor, Math.max(0, keys.length - 1));
}

/** The entry with row `index` selected (its identity recorded). */
export function selectRow(data: UiData, state: AppState, entry: ViewEntry, index: number): ViewEntry {
  const key = listKeys(data, state, entry)?.[index];
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
export function pinSelections(data: UiData, state: AppState): AppState {
  let changed = false;
  const stack = state.stack.map((entry) => {
    if (entry.selected !== undefined || (entry.view === 'logs' && entry.options.autoscroll)) return entry;
    const keys = listKeys(data, state, entry);
    if (keys === null || keys.length === 0) return entry;
    changed = true;
    return selectRow(data, state, entry, selectedIndex(data, state, entry));
  });
  return changed ? { ...state, stack: stack as unknown as NavStack } : state;
}

/** Moves the top view's selection to row `index`. */
export function selectInTop(data: UiData, state: AppState, index: number): AppState {
  return { ...state, stack: replaceTop(state.stack, selectRow(data, state, top(state.stack), index)) };
}
