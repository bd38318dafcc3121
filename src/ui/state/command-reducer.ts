/**
 * What each keymap command does in normal mode. Pure: (state, command, data) -> state.
 */
import { assertNever } from '../../util/assert-never.js';
import type { CommandId } from '../keymap.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppState, UiData } from './app-state.js';
import { flash } from './flash.js';
import { currentDenial, explainDenial } from './explain-from-denial.js';
import { explainEdge } from './explain-from-edge.js';
import { copyShown, showFix, showYaml } from './yaml-view.js';
import { confirmMessage, isRaised, logLevelDisabledReason, raiseRequest, restoreRequest } from './log-level.js';
import { pop, push, replaceTop, top, type LogsOptions, type NavStack, type ViewEntry } from './navigation.js';
import { toggleFreeze } from './freeze.js';
import {
  visibleDenials,
  visibleMapRows,
  visibleNamespaces,
  visiblePods,
  visiblePolicies,
  visibleServices,
} from './select.js';
import { pinSelections, resetSelection, selectedIndex, selectRow } from './selection.js';
import { rowCount } from '../views/view-content.js';

export { flash };

function moveCursor(state: AppState, data: UiData, delta: number | 'top' | 'bottom'): AppState {
  const entry = top(state.stack);
  const max = Math.max(0, rowCount(data, state) - 1);
  const from = selectedIndex(data, state, entry);
  const next = delta === 'top' ? 0 : delta === 'bottom' ? max : Math.min(max, Math.max(0, from + delta));
  const unpinned: ViewEntry =
    entry.view === 'logs' ? { ...entry, options: { ...entry.options, autoscroll: delta === 'bottom' } } : entry;
  return { ...state, stack: replaceTop(state.stack, selectRow(data, state, unpinned, next)) };
}

/** The pod the current view is about: the selected row, or the pod of a detail view. */
export function currentPod(state: AppState, data: UiData): PodRow | null {
  const entry = top(state.stack);
  if (entry.view === 'pods') return visiblePods(data, state)[selectedIndex(data, state, entry)] ?? null;
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

function open(state: AppState, data: UiData): AppState {
  const entry = top(state.stack);
  const at = (e: ViewEntry): AppState => ({ ...state, stack: push(state.stack, e) });
  const index = selectedIndex(data, state, entry);
  if (entry.view === 'pods') {
    const row = visiblePods(data, state)[index];
    return row ? at({ view: 'pod', cursor: 0, pod: row.key }) : state;
  }
  if (entry.view === 'denials') {
    const d = visibleDenials(state)[index];
    return d ? at({ view: 'denial', cursor: 0, denial: d.id }) : state;
  }
  if (entry.view === 'services') {
    const s = visibleServices(data, state)[index];
    return s ? at({ view: 'service', cursor: 0, service: s.key }) : state;
  }
  if (entry.view === 'policies') {
    const p = visiblePolicies(data, state)[index];
    return p
      ? at({ view: 'policy', cursor: 0, policy: { kind: p.kind, namespace: p.namespace, name: p.name }, ruleRef: null })
      : state;
  }
  if (entry.view === 'map') {
    const edge = visibleMapRows(data, state)[index];
    return edge ? explainEdge(state, data, edge) : state;
  }
  return state;
}

/** After a result: back into the form with every field kept, so a changed query runs again. */
function editExplain(state: AppState): AppState {
  const entry = top(state.stack);
  if (entry.view !== 'explain' || entry.step !== 'result') return state;
  return { ...state, stack: replaceTop(state.stack, { ...entry, step: 'port', cursor: 0, result: null }) };
}

/** Enter in the `:ns` picker: that namespace everywhere, back to where `:ns` was typed. */
function pickNamespace(state: AppState, data: UiData): AppState {
  const entry = top(state.stack);
  const picked = visibleNamespaces(data, state)[selectedIndex(data, state, entry)];
  if (!picked) return state;
  return setNamespace({ ...state, stack: pop(state.stack) }, picked.name);
}

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

function logLevel(state: AppState, data: UiData): AppState {
  const row = currentPod(state, data);
  if (!row) return flash(state, 'error', 'select a pod first');
  const disabled = logLevelDisabledReason(data, row);
  if (disabled) return flash(state, 'error', disabled);
  const { request, total } = raiseRequest(data, row);
  const finalRequest = isRaised(state, request.namespace, request.workload) ? restoreRequest(request) : request;
  return {
    ...state,
    mode: {
      kind: 'confirm',
      request: finalRequest,
      totalPods: total,
      message: confirmMessage(finalRequest, total, data.logLevelTtlMs),
    },
  };
}

const WINDOWS: Partial<Record<CommandId, Partial<LogsOptions>>> = {
  'logs-tail': { windowMs: null, tailLines: 200, autoscroll: true },
  'logs-window-1m': { windowMs: 60_000, tailLines: null },
  'logs-window-5m': { windowMs: 300_000, tailLines: null },
  'logs-window-15m': { windowMs: 900_000, tailLines: null },
  'logs-window-30m': { windowMs: 1_800_000, tailLines: null },
  'logs-window-1h': { windowMs: 3_600_000, tailLines: null },
  'logs-window-all': { windowMs: null, tailLines: null },
};

function logsOption(state: AppState, change: (o: LogsOptions) => Partial<LogsOptions>): AppState {
  const entry = top(state.stack);
  if (entry.view !== 'logs') return state;
  return {
    ...state,
    stack: replaceTop(state.stack, { ...entry, options: { ...entry.options, ...change(entry.options) } }),
  };
}

function back(state: AppState): AppState {
  const entry = top(state.stack);
  const filter = state.filters[entry.view];
  if (filter) return { ...state, filters: { ...state.filters, [entry.view]: '' } };
  return { ...state, stack: pop(state.stack) };
}

/** A new order keeps the selected pod selected. */
function sortBy(state: AppState, data: UiData, sort: AppState['sort']): AppState {
  return { ...pinSelections(data, state), sort };
}

export function runCommand(state: AppState, id: CommandId, data: UiData): AppState {
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
    case 'filter':
      return {
        ...state,
        mode: { kind: 'filter', text: state.filters[entry.view] ?? '', previous: state.filters[entry.view] ?? '' },
      };
    case 'command':
      return { ...state, mode: { kind: 'command', text: '' } };
    case 'cursor-up':
      return moveCursor(state, data, -1);
    case 'cursor-down':
      return moveCursor(state, data, 1);
    case 'page-up':
      return moveCursor(state, data, -state.pageSize);
    case 'page-down':
      return moveCursor(state, data, state.pageSize);
    case 'cursor-top':
      return moveCursor(state, data, 'top');
    case 'cursor-bottom':
      return moveCursor(state, data, 'bottom');
    case 'open':
      return open(state, data);
    case 'open-logs': {
      const row = currentPod(state, data);
      return row
        ? {
            ...state,
            stack: push(state.stack, { view: 'logs', cursor: 0, pod: row.key, options: DEFAULT_LOGS_OPTIONS }),
          }
        : state;
    }
    case 'log-level':
      return logLevel(state, data);
    case 'explain-from-here':
      return startExplain(state, data);
    case 'explain-denial': {
      const denial = currentDenial(state, data);
      return denial ? explainDenial(state, data, denial) : flash(state, 'error', 'select a denial first');
    }
    case 'show-fix':
      return showFix(state);
    case 'show-yaml':
      return showYaml(state, data);
    case 'copy':
      return copyShown(state);
    case 'describe':
      return open(state, data);
    case 'pick-namespace':
      return pickNamespace(state, data);
    case 'sort-column':
    case 'sort-name':
      return sortBy(state, data, { key: 'name', descending: false });
    case 'sort-namespace':
      return sortBy(state, data, { key: 'namespace', descending: false });
    case 'sort-denials':
      return sortBy(state, data, { key: 'denials', descending: true });
    case 'sort-reverse':
      return sortBy(state, data, { ...state.sort, descending: !state.sort.descending });
    case 'all-namespaces':
      return setNamespace(entry.view === 'namespaces' ? { ...state, stack: pop(state.stack) } : state, null);
    case 'freeze':
      return toggleFreeze(pinSelections(data, state));
    case 'logs-tail':
    case 'logs-window-1m':
    case 'logs-window-5m':
    case 'logs-window-15m':
    case 'logs-window-30m':
    case 'logs-window-1h':
    case 'logs-window-all':
      return logsOption(state, () => WINDOWS[id] ?? {});
    case 'logs-autoscroll':
      return logsOption(state, (o) => ({ autoscroll: !o.autoscroll }));
    case 'logs-wrap':
      return logsOption(state, (o) => ({ wrap: !o.wrap }));
    case 'logs-rbac-only':
      return logsOption(state, (o) => ({ rbacOnly: !o.rbacOnly }));
    case 'explain-edit':
      return editExplain(state);
    case 'form-next':
    case 'form-delete':
    case 'form-up':
    case 'form-down':
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
