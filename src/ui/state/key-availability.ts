/**
 * Why a key cannot act here, as lazygit's `GetDisabledReason` (jesseduffield/lazygit:
 * pkg/gui/types/keybindings.go): the footer and help list only keys that can act, and a
 * key pressed anyway says why instead of doing nothing.
 */
import type { CommandId } from '../keymap.js';
import type { AppState, UiData } from './app-state.js';
import { currentPod } from './command-reducer.js';
import { logLevelDisabledReason } from './log-level.js';
import { top } from './navigation.js';
import { currentDenial, explainDenialDisabledReason } from './explain-from-denial.js';
import { selectedYaml } from './yaml-view.js';
import { rowCount } from '../views/view-content.js';
import { currentEdge, explainEdgeDisabledReason } from './explain-from-edge.js';

type Reason = (state: AppState, data: UiData) => string | null;

const needsPod =
  (then: Reason = () => null): Reason =>
  (state, data) =>
    currentPod(state, data) === null ? 'select a pod first' : then(state, data);

const REASONS: Partial<Record<CommandId, Reason>> = {
  back: (state) => {
    const entry = top(state.stack);
    return state.stack.length <= 1 && !state.filters[entry.view] ? 'nothing is above this view' : null;
  },
  help: (state) => (top(state.stack).view === 'help' ? 'this is help: q or <esc> closes it' : null),
  open: (state, data) => {
    const entry = top(state.stack);
    if (entry.view === 'explain') return null;
    if (entry.view === 'map') return explainEdgeDisabledReason(currentEdge(state, data));
    return rowCount(data, state) === 0 ? 'nothing to open: the list is empty' : null;
  },
  describe: (state, data) => (rowCount(data, state) === 0 ? 'nothing to describe: the list is empty' : null),
  'pick-namespace': (state, data) => (rowCount(data, state) === 0 ? 'no namespace matches the filter' : null),
  'all-namespaces': (state) => (state.namespace === null ? 'already showing all namespaces' : null),
  'open-logs': needsPod((state, data) => (currentPod(state, data)?.sidecar ? null : 'no istio-proxy in this pod')),
  'log-level': needsPod((state, data) => {
    const row = currentPod(state, data);
    return row === null ? null : logLevelDisabledReason(data, row);
  }),
  'explain-from-here': needsPod(),
  'explain-denial': (state, data) => explainDenialDisabledReason(currentDenial(state, data)),
  'show-fix': (state) => {
    const entry = top(state.stack);
    if (entry.view !== 'explain' || entry.step !== 'result') return 'run the query first';
    return entry.fixYaml ? null : 'no fix: nothing in this answer needs a change';
  },
  'show-yaml': (state, data) => (selectedYaml(state, data) === null ? 'select a pod or a policy first' : null),
  'explain-edit': (state) => {
    const entry = top(state.stack);
    return entry.view === 'explain' && entry.step === 'result' ? null : 'run the query first';
  },
};

export function disabledReason(id: CommandId, state: AppState, data: UiData): string | null {
  return REASONS[id]?.(state, data) ?? null;
}

export function canAct(state: AppState, data: UiData): (id: CommandId) => boolean {
  return (id) => disabledReason(id, state, data) === null;
}
