/**
 * Keys that act on the pod a view is about (the selected row, or the pod of a detail view):
 * its log (`l`), its log level (`L`, a write), explain from it (`x`), and the YAML of the
 * selected object (`y`), plus `d` describe. Shared by the pods, pod, logs, policies and policy views.
 */
import type { AppState, UiData } from '../state/app-state.js';
import { currentPod, DEFAULT_LOGS_OPTIONS, startExplain } from '../state/command-reducer.js';
import { flash } from '../state/flash.js';
import { confirmMessage, isRaised, logLevelDisabledReason, raiseRequest, restoreRequest } from '../state/log-level.js';
import { push } from '../state/navigation.js';
import { selectedYaml, showYaml } from '../state/yaml-view.js';
import type { KeyContext, ViewKey } from './descriptor.js';

const needsPod =
  (then: (ctx: KeyContext) => string | null = () => null) =>
  (ctx: KeyContext): string | null =>
    currentPod(ctx.state, ctx.data) === null ? 'select a pod first' : then(ctx);

export function openLogsKey(description: string): ViewKey {
  return {
    id: 'open-logs',
    keys: ['l'],
    description,
    short: 'logs',
    category: 'logs',
    run: ({ state, data }) => {
      const row = currentPod(state, data);
      if (row === null) return state;
      return {
        ...state,
        stack: push(state.stack, { view: 'logs', cursor: 0, pod: row.key, options: DEFAULT_LOGS_OPTIONS }),
      };
    },
    disabled: needsPod(({ state, data }) => (currentPod(state, data)?.sidecar ? null : 'no istio-proxy in this pod')),
  };
}

/** Asks to raise (or, when raised, restore) the rbac logger on the pods of the workload. */
function askLogLevel(state: AppState, data: UiData): AppState {
  const row = currentPod(state, data);
  if (!row) return flash(state, 'error', 'select a pod first');
  const { request, total } = raiseRequest(data, row);
  const finalRequest = isRaised(state, request.namespace, request.workload) ? restoreRequest(request) : request;
  const message = confirmMessage(finalRequest, total, data.logLevelTtlMs);
  return { ...state, mode: { kind: 'confirm', request: finalRequest, totalPods: total, message } };
}

export function logLevelKey(description: string): ViewKey {
  return {
    id: 'log-level',
    keys: ['L'],
    description,
    short: 'log level',
    category: 'writes',
    danger: true,
    run: ({ state, data }) => askLogLevel(state, data),
    disabled: needsPod(({ state, data }) => {
      const row = currentPod(state, data);
      return row === null ? null : logLevelDisabledReason(data, row);
    }),
  };
}

export function explainFromHereKey(): ViewKey {
  return {
    id: 'explain-from-here',
    keys: ['x'],
    description: 'Explain a request from this pod to a peer',
    short: 'explain',
    category: 'views',
    run: ({ state, data }) => startExplain(state, data),
    disabled: needsPod(),
  };
}

export function showYamlKey(): ViewKey {
  return {
    id: 'show-yaml',
    keys: ['y'],
    description: 'Show the YAML of the selected object (c copies it, :w FILE writes it)',
    short: 'yaml',
    category: 'views',
    run: ({ state, data }) => showYaml(state, data),
    disabled: ({ state, data }) => (selectedYaml(state, data) === null ? 'select a pod or a policy first' : null),
  };
}

/** `d` as kubectl describe: the same detail Enter opens. */
export function describeKey(open: ViewKey): ViewKey {
  return {
    ...open,
    id: 'describe',
    keys: ['d'],
    description: 'Describe the selected object (as kubectl describe, with its policies)',
    short: 'describe',
    category: 'views',
    disabled: (ctx) => (open.disabled?.(ctx) ? 'nothing to describe: the list is empty' : null),
  };
}
