/**
 * What the shared keys (global, moving around) do, and the helpers several views' keys use.
 * A view's own keys are in its module (see views/registry.ts). Pure: (state, command, data) -> state.
 */
import { assertNever } from '../../util/assert-never.js';
import type { CommandId } from '../keymap.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppState, UiData } from './app-state.js';
import { flash } from './flash.js';
import { pop, push, replaceTop, top, type LogsOptions, type NavStack, type ViewEntry } from './navigation.js';
import { toggleFreeze } from './freeze.js';
import { podRowKeys } from './row-keys.js';
import { visiblePods } from './select.js';
import { pinSelections, resetSelection, selectedIndexBy, selectRow, type RowLookup } from './selection.js';

export { flash };

function moveCursor(state: AppState, data: UiData, rows: RowLookup, delta: number | 'top' | 'bottom'): AppState {
  const entry = top(state.stack);
  const max = Math.max(0, rows.count(data, state) - 1);
  const from = selectedIndexBy(rows.keys, data, state, entry);
  const next = delta === 'top' ? 0 : delta === 'bottom' ? max : Math.min(max, Math.max(0, from + delta));
  const unpinned: ViewEntry =
    entry.view === 'logs' ? { ...entry, options: { ...entry.options, autoscroll: delta === 'bottom' } } : entry;
  return { ...state, stack: replaceTop(state.stack, selectRow(rows.keys, data, state, unpinned, next)) };
}

/** The pod the current view is about: the selected row, or the pod of a detail view. */
export function currentPod(state: AppState, data: UiData): PodRow | null {
  const entry = top(state.stack);
  if (entry.view === 'pods') return visiblePods(data, state)[selectedIndexBy(podRowKeys, data, state, entry)] ?? null;
  if (entry.view === 'pod' || entry.view === 'logs') return data.rowsByKey.get(entry.pod) ?? null;
  return null;
}

export const DEFAULT_LOGS_OPTIONS: LogsOptions = {
  windowMs: null,
  tailLines: null,
  autoscroll: true,
  wrap: false,
  rbacOnly: false,
};

/** A new namespace: every list starts again at its first row. */
export function setNamespace(state: AppState, namespace: string | null): AppState {
  const stack = state.stack.map(resetSelection) as unknown as NavStack;
  return flash({ ...state, namespace, stack }, 'info', `namespace: ${namespace ?? 'all'}`);
}

export function startExplain(state: AppState, data: UiData): AppState {
  const row = currentPod(state, data);
  if (!row) return flash(state, 'error', 'select a pod first: explain starts from the selected pod');
  const form = { peerQuery: '', peer: null, port: '', method: '', path: '', jwt: '' };
  return {
    ...state,
    stack: push(state.stack, { view: 'explain', cursor: 0, source: row.key, step: 'peer', form, result: null }),
  };
}

function back(state: AppState): AppState {
  const entry = top(state.stack);
  const filter = state.filters[entry.view];
  if (filter) return { ...state, filters: { ...state.filters, [entry.view]: '' } };
  return { ...state, stack: pop(state.stack) };
}

/** What a shared key does; `rows` finds any view's rows (the caller holds the view registry). */
export function runCommand(state: AppState, id: CommandId, data: UiData, rows: RowLookup): AppState {
  const entry = top(state.stack);
  switch (id) {
    case 'quit':
    case 'force-quit':
      return { ...state, quitting: true, effects: [...state.effects, { kind: 'quit' }] };
    case 'back':
      return back(state);
    case 'help':
      return entry.view === 'help'
        ? state
        : { ...state, stack: push(state.stack, { view: 'help', cursor: 0, forView: entry.view }) };
    case 'command':
      return { ...state, mode: { kind: 'command', text: '' } };
    case 'freeze':
      return toggleFreeze(pinSelections(rows.keys, data, state));
    case 'cursor-up':
      return moveCursor(state, data, rows, -1);
    case 'cursor-down':
      return moveCursor(state, data, rows, 1);
    case 'page-up':
      return moveCursor(state, data, rows, -state.pageSize);
    case 'page-down':
      return moveCursor(state, data, rows, state.pageSize);
    case 'cursor-top':
      return moveCursor(state, data, rows, 'top');
    case 'cursor-bottom':
      return moveCursor(state, data, rows, 'bottom');
    // the prompt's and the confirmation's keys are handled by their modes (app-reducer)
    case 'prompt-submit':
    case 'prompt-cancel':
    case 'prompt-delete':
    case 'confirm-yes':
    case 'confirm-no':
    case 'confirm-toggle-jwt':
    case 'confirm-toggle-ext-authz':
      return state;
    default:
      return assertNever(id, 'command');
  }
}
