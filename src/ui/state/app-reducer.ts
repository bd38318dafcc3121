/**
 * The TUI's one reducer. Every keypress, feed batch and clock tick goes through it,
 * so fast typing sees the latest state. Side effects are queued in `effects`.
 */
import { commandFor } from '../keymap.js';
import type { FeedEvent, LogLevelRequest, LogLevelResult } from '../feeds/log-feed.js';
import type { AppState, UiData } from './app-state.js';
import type { LiveAuthz } from '../data/engine-port.js';
import { flash, runCommand, setNamespace } from './command-reducer.js';
import { parseCommand } from './command-line.js';
import { pressKey, VIEW_ROWS } from '../views/view-keys.js';
import { viewOfAlias } from '../views/registry.js';
import { receiveFeed } from './freeze.js';
import { confirmMessage, restoreRequest, toggleLogger } from './log-level.js';
import { replaceTop, top } from './navigation.js';
import { pinSelections, resetSelection } from './selection.js';
import { writeShown } from './yaml-view.js';

export type AppAction =
  | { readonly type: 'keys'; readonly keys: readonly string[]; readonly now: number }
  | { readonly type: 'feed'; readonly events: readonly FeedEvent[]; readonly now: number }
  | { readonly type: 'tick'; readonly now: number }
  | { readonly type: 'resize'; readonly pageSize: number; readonly width: number }
  | { readonly type: 'effects-done'; readonly count: number }
  | { readonly type: 'live-authz'; readonly pod: string; readonly result: LiveAuthz }
  | { readonly type: 'flash'; readonly level: 'info' | 'error'; readonly text: string; readonly now: number }
  | {
      readonly type: 'log-level-done';
      readonly purpose: 'raise' | 'restore';
      readonly request: LogLevelRequest;
      readonly result: LogLevelResult;
      readonly now: number;
    };

function submitCommand(state: AppState, data: UiData, text: string): AppState {
  const normal: AppState = { ...state, mode: { kind: 'normal' } };
  const [word = '', ...args] = text.trim().split(/\s+/);
  // `:ns NAME` picks a namespace; `:ns` alone (an alias) lists them
  const alias = args.length > 0 && (word === 'ns' || word === 'namespace') ? null : viewOfAlias(word);
  if (alias?.view.open) return alias.view.open(normal, data, alias.alias);
  const parsed = parseCommand(text, [...data.snapshot.namespaces.keys()]);
  switch (parsed.kind) {
    case 'quit':
      return runCommand(normal, 'quit', data, VIEW_ROWS);
    case 'write':
      return writeShown(normal, parsed.path);
    case 'namespace':
      return setNamespace(normal, parsed.namespace);
    case 'error':
      return flash(normal, 'error', parsed.message);
    default:
      return normal;
  }
}

function setFilter(state: AppState, text: string): AppState {
  const entry = top(state.stack);
  return {
    ...state,
    filters: { ...state.filters, [entry.view]: text },
    stack: replaceTop(state.stack, resetSelection(entry)),
  };
}

function promptKey(state: AppState, data: UiData, key: string): AppState {
  const mode = state.mode;
  if (mode.kind !== 'filter' && mode.kind !== 'command') return state;
  const id = commandFor(key, ['prompt'], { readonly: data.readonly });
  const edit = (text: string): AppState => {
    const next: AppState = { ...state, mode: { ...mode, text } };
    return mode.kind === 'filter' ? setFilter(next, text) : next;
  };
  if (id === 'prompt-submit')
    return mode.kind === 'filter' ? { ...state, mode: { kind: 'normal' } } : submitCommand(state, data, mode.text);
  if (id === 'prompt-cancel')
    return mode.kind === 'filter'
      ? setFilter({ ...state, mode: { kind: 'normal' } }, mode.previous)
      : { ...state, mode: { kind: 'normal' } };
  if (id === 'prompt-delete') return edit(mode.text.slice(0, -1));
  if ([...key].length === 1) return edit(mode.text + key);
  return state;
}

function confirmKey(state: AppState, data: UiData, key: string): AppState {
  if (state.mode.kind !== 'confirm') return state;
  const id = commandFor(key, ['confirm'], { readonly: data.readonly });
  if (id === 'confirm-no') return flash({ ...state, mode: { kind: 'normal' } }, 'info', 'cancelled: nothing changed');
  if (id === 'confirm-toggle-jwt' || id === 'confirm-toggle-ext-authz') {
    const mode = state.mode;
    const request = toggleLogger(mode.request, id === 'confirm-toggle-jwt' ? 'jwt' : 'ext_authz');
    return {
      ...state,
      mode: { ...mode, request, message: confirmMessage(request, mode.totalPods, data.logLevelTtlMs) },
    };
  }
  if (id !== 'confirm-yes') return state;
  const request = state.mode.request;
  const normal: AppState = { ...state, mode: { kind: 'normal' } };
  const purpose = request.level === 'debug' ? 'raise' : 'restore';
  const raised =
    purpose === 'raise'
      ? [...state.raised, { request, until: state.now + data.logLevelTtlMs }]
      : state.raised.filter(
          (r) => !(r.request.namespace === request.namespace && r.request.workload === request.workload),
        );
  return { ...normal, raised, effects: [...state.effects, { kind: 'set-log-level', request, purpose }] };
}

function oneKey(state: AppState, data: UiData, key: string): AppState {
  if (key === 'ctrl+c') return runCommand(state, 'force-quit', data, VIEW_ROWS);
  if (state.mode.kind === 'confirm') return confirmKey(state, data, key);
  if (state.mode.kind !== 'normal') return promptKey(state, data, key);
  const pressed = pressKey(state, data, key);
  if (pressed === null) return state;
  if (!('refused' in pressed)) return pressed;
  // Esc at the top only informs; a key refused for a reason is an error the user should read
  return flash(state, pressed.id === 'back' ? 'info' : 'error', pressed.refused);
}

function tick(state: AppState, now: number): AppState {
  const expired = state.raised.filter((r) => r.until <= now);
  const flashGone = state.flash !== null && state.flash.until <= now;
  const next: AppState = { ...state, now, flash: flashGone ? null : state.flash };
  if (expired.length === 0) return next;
  const effects = expired.map((r) => ({
    kind: 'set-log-level' as const,
    request: restoreRequest(r.request),
    purpose: 'restore' as const,
  }));
  return { ...next, raised: state.raised.filter((r) => r.until > now), effects: [...state.effects, ...effects] };
}

function logLevelDone(state: AppState, action: Extract<AppAction, { type: 'log-level-done' }>): AppState {
  const { request, result, purpose } = action;
  const what = `${request.loggers.join(',')} on ${result.changed} pods of ${request.namespace}/${request.workload}`;
  if (result.errors.length > 0) {
    const raised =
      purpose === 'raise' && result.changed === 0 ? state.raised.filter((r) => r.request !== request) : state.raised;
    return flash(
      { ...state, raised },
      'error',
      `log level: ${result.errors[0] ?? ''}${result.errors.length > 1 ? ` (+${result.errors.length - 1} more)` : ''}`,
    );
  }
  return flash(state, 'info', purpose === 'raise' ? `raised ${what} to debug` : `restored ${what} to info`);
}

export function reduceApp(data: UiData): (state: AppState, action: AppAction) => AppState {
  return (state, action) => {
    switch (action.type) {
      case 'keys':
        return action.keys.reduce((s, key) => (s.quitting ? s : oneKey(s, data, key)), { ...state, now: action.now });
      case 'feed':
        return receiveFeed(pinSelections(VIEW_ROWS.keys, data, { ...state, now: action.now }), action.events);
      case 'tick':
        return tick(state, action.now);
      case 'resize':
        return { ...state, pageSize: Math.max(1, action.pageSize), width: Math.max(20, action.width) };
      case 'effects-done':
        return { ...state, effects: state.effects.slice(action.count) };
      case 'live-authz':
        return { ...state, liveAuthz: { ...state.liveAuthz, [action.pod]: action.result } };
      case 'log-level-done':
        return logLevelDone({ ...state, now: action.now }, action);
      case 'flash':
        return flash({ ...state, now: action.now }, action.level, action.text);
      default:
        return state;
    }
  };
}
