/**
 * The explain view's form: pick the peer with a fuzzy picker, then port, method,
 * path and JWT (Enter accepts, empty keeps the default), then the result.
 */
import { explainResultDoc } from '../docs/explain-doc.js';
import { commandFor, VIEW_SCOPES } from '../keymap.js';
import type { AppState, UiData } from './app-state.js';
import { replaceTop, top, type ExplainForm, type ExplainStep, type ViewEntry } from './navigation.js';
import { pickerRows } from './select.js';
import { fieldProblem } from './explain-validation.js';
import { flash } from './flash.js';

type ExplainEntry = Extract<ViewEntry, { view: 'explain' }>;

const NEXT: Readonly<Record<ExplainStep, ExplainStep>> = {
  peer: 'port',
  port: 'method',
  method: 'path',
  path: 'jwt',
  jwt: 'result',
  result: 'result',
};
const FIELD: Readonly<Partial<Record<ExplainStep, keyof ExplainForm>>> = {
  peer: 'peerQuery',
  port: 'port',
  method: 'method',
  path: 'path',
  jwt: 'jwt',
};

export const EXPLAIN_PROMPTS: Readonly<Record<ExplainStep, string>> = {
  peer: 'destination (type to filter, <enter> picks)',
  port: 'port (empty: the Service port if it has one)',
  method: 'HTTP method (empty: none, TCP only)',
  path: 'HTTP path (empty: none)',
  jwt: 'JWT token (empty: none)',
  result: 'result',
};

function withEntry(state: AppState, entry: ExplainEntry): AppState {
  return { ...state, stack: replaceTop(state.stack, entry) };
}

function editField(entry: ExplainEntry, edit: (value: string) => string): ExplainEntry {
  const field = FIELD[entry.step];
  if (field === undefined || field === 'peer') return entry;
  const value = entry.form[field] ?? '';
  return { ...entry, cursor: entry.step === 'peer' ? 0 : entry.cursor, form: { ...entry.form, [field]: edit(value) } };
}

function advance(state: AppState, data: UiData, entry: ExplainEntry): AppState {
  const rows = entry.step === 'peer' ? pickerRows(data, entry) : [];
  const problem = fieldProblem(data, entry.step, entry.form, rows.length);
  if (problem?.level === 'error') return flash(state, 'error', problem.text);
  if (entry.step === 'peer') {
    // a picked row, else the text as typed when explain resolves it (an IP, `deploy/NAME.NS`), as the CLI accepts
    const peer = rows[entry.cursor]?.key ?? (problem === null ? null : entry.form.peerQuery.trim());
    if (peer === null) return state;
    return withEntry(state, { ...entry, step: 'port', cursor: 0, form: { ...entry.form, peer } });
  }
  const step = NEXT[entry.step];
  if (step !== 'result') return withEntry(state, { ...entry, step });
  return withEntry(state, runExplain(data, entry, state.now));
}

/** The entry with its query run: result lines and fix YAML. */
export function runExplain(data: UiData, entry: ExplainEntry, now: number): ExplainEntry {
  const { lines, fixYaml } = explainResultDoc(data.engine, data.snapshot, entry.source, entry.form, now);
  return { ...entry, step: 'result', cursor: 0, result: lines, fixYaml };
}

function movePick(state: AppState, data: UiData, entry: ExplainEntry, delta: number): AppState {
  if (entry.step !== 'peer') return state;
  const max = Math.max(0, pickerRows(data, entry).length - 1);
  return withEntry(state, { ...entry, cursor: Math.min(max, Math.max(0, entry.cursor + delta)) });
}

/**
 * Handles a key while the explain form is open, through the keymap's `explain-form` scope;
 * any other single character is typed into the field. Null when the key is not the form's
 * (`back` leaves the form through the normal keys).
 */
export function explainFormKey(state: AppState, data: UiData, key: string): AppState | null {
  const entry = top(state.stack);
  if (entry.view !== 'explain' || entry.step === 'result') return null;
  const id = commandFor(key, VIEW_SCOPES['explain-form'] ?? [], { readonly: data.readonly });
  if (id === 'form-next') return advance(state, data, entry);
  if (id === 'form-delete')
    return withEntry(
      state,
      editField(entry, (v) => v.slice(0, -1)),
    );
  if (id === 'form-up') return movePick(state, data, entry, -1);
  if (id === 'form-down') return movePick(state, data, entry, 1);
  if (id !== null) return null;
  if ([...key].length === 1)
    return withEntry(
      state,
      editField(entry, (v) => v + key),
    );
  return null;
}
