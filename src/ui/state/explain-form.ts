/**
 * The explain view's form: pick the peer with a fuzzy picker, then port, method,
 * path and JWT (Enter accepts, empty keeps the default), then the result.
 */
import { explainResultDoc } from '../docs/explain-doc.js';
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

/** The form on top of the stack, or null (the result, or another view). */
function formOnTop(state: AppState): ExplainEntry | null {
  const entry = top(state.stack);
  return entry.view === 'explain' && entry.step !== 'result' ? entry : null;
}

/** Enter: pick the highlighted destination / accept the field (the last one runs explain). */
export function formNext(state: AppState, data: UiData): AppState {
  const entry = formOnTop(state);
  return entry ? advance(state, data, entry) : state;
}

/** Backspace: the field without its last character. */
export function formDelete(state: AppState): AppState {
  const entry = formOnTop(state);
  return entry
    ? withEntry(
        state,
        editField(entry, (v) => v.slice(0, -1)),
      )
    : state;
}

/** Up and down in the destination picker. */
export function formMove(state: AppState, data: UiData, delta: number): AppState {
  const entry = formOnTop(state);
  return entry ? movePick(state, data, entry, delta) : state;
}

/** A character typed into the field (anything that is not one of the form's keys). */
export function formType(state: AppState, text: string): AppState {
  const entry = formOnTop(state);
  return entry && [...text].length === 1
    ? withEntry(
        state,
        editField(entry, (v) => v + text),
      )
    : state;
}

/** What the footer says while the form takes text, instead of listing letters that are typed. */
export const FORM_FIELD_NAMES: Readonly<Record<ExplainStep, string>> = {
  peer: 'destination',
  port: 'port',
  method: 'HTTP method',
  path: 'HTTP path',
  jwt: 'JWT',
  result: 'result',
};
