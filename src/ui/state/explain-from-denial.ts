/**
 * `x` on a denial: explain opens with the denial's source, destination, port and request
 * already filled in and run, so the answer and its fix are one key away (`e` edits the query).
 */
import type { AppState, ShownDenial, UiData } from './app-state.js';
import { push, top, type ExplainForm } from './navigation.js';
import { runExplain } from './explain-form.js';
import { denialRowKeys } from './row-keys.js';
import { visibleDenials } from './select.js';
import { selectedIndexBy } from './selection.js';

/** The denial the current view is about: the selected row of the denials list, or the open denial. */
export function currentDenial(state: AppState, data: UiData): ShownDenial | null {
  const entry = top(state.stack);
  if (entry.view === 'denials')
    return visibleDenials(state)[selectedIndexBy(denialRowKeys, data, state, entry)] ?? null;
  if (entry.view === 'denial') return state.denials.find((d) => d.id === entry.denial) ?? null;
  return null;
}

/** `GET /api/orders :8080`, `TCP :5432`: the fields of the request text (the line pipeline's `requestText`), for denials recorded without them. */
export function requestFields(request: string): NonNullable<ShownDenial['query']> {
  const tokens = request
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const last = tokens.at(-1);
  const port = last !== undefined && /^:\d+$/.test(last) ? Number(last.slice(1)) : null;
  const words = port === null ? tokens : tokens.slice(0, -1);
  const [first = null, second = null] = words;
  if (first === null || first === 'TCP' || first === 'HTTP') return { port, method: null, path: null };
  if (first.startsWith('/')) return { port, method: null, path: first };
  return { port, method: first, path: second };
}

/** Why `x` cannot explain this denial, or null. */
export function explainDenialDisabledReason(denial: ShownDenial | null): string | null {
  if (denial === null) return 'select a denial first';
  if (denial.source === 'unknown')
    return "the denial's source is unknown (the log names no peer): use x on the pods view and pick the destination";
  if (denial.destination === 'unknown') return "the denial's destination is unknown: use x on the pods view";
  return null;
}

export function formOfDenial(denial: ShownDenial): ExplainForm {
  const q = denial.query ?? requestFields(denial.request);
  return {
    peerQuery: '',
    peer: denial.destination,
    port: q.port === null ? '' : String(q.port),
    method: q.method ?? '',
    path: q.path ?? '',
    jwt: '',
  };
}

export function explainDenial(state: AppState, data: UiData, denial: ShownDenial): AppState {
  const entry = runExplain(
    data,
    { view: 'explain', cursor: 0, source: denial.source, step: 'result', form: formOfDenial(denial), result: null },
    state.now,
  );
  return { ...state, stack: push(state.stack, entry) };
}
