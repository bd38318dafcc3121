/** The explain form (peer picker, port, method, path, JWT) and its result. */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { DocView } from '../components/doc-view.js';
import { wrapDoc, type DocLine } from '../docs/doc.js';
import type { AppState } from '../state/app-state.js';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import type { PeerChoice } from '../data/peer-choices.js';
import type { UiData } from '../state/app-state.js';
import { EXPLAIN_PROMPTS, FORM_FIELD_NAMES, formDelete, formMove, formNext, formType } from '../state/explain-form.js';
import { pop, replaceTop, type ExplainForm, type ExplainStep } from '../state/navigation.js';
import { startExplain } from '../state/command-reducer.js';
import { showFix } from '../state/yaml-view.js';
import type { ViewDescriptor, ViewKey } from './descriptor.js';
import { pickerRows } from '../state/select.js';
import { fieldProblem, type FieldProblem } from '../state/explain-validation.js';
import { line, type Tone } from '../docs/doc.js';
import { toneProps, useTheme } from '../theme.js';

/** The navigation entry of this view. */
export interface ExplainEntry {
  readonly view: 'explain';
  readonly cursor: number;
  readonly source: string;
  readonly step: ExplainStep;
  readonly form: ExplainForm;
  /** computed once when the form is complete */
  readonly result: readonly DocLine[] | null;
  /** the result's fix YAML (`f` shows it), null when the verdict needs none */
  readonly fixYaml?: string | null;
}

const PEER_COLUMNS: readonly Column<PeerChoice>[] = [
  { title: 'KIND', width: 7, cell: (r) => r.kind },
  { title: 'NAMESPACE', width: 14, cell: (r) => r.namespace },
  { title: 'NAME', cell: (r) => r.name },
  { title: 'PORTS / WORKLOAD', width: 24, cell: (r) => r.detail },
];

const PROBLEM_TONE: Readonly<Record<FieldProblem['level'], Tone>> = { error: 'error', warning: 'warning', info: 'dim' };
const PROBLEM_MARK: Readonly<Record<FieldProblem['level'], string>> = { error: '✗', warning: '!', info: '→' };

const FIELDS: readonly { step: ExplainStep; label: string; value: (e: ExplainEntry) => string }[] = [
  { step: 'peer', label: 'to', value: (e) => e.form.peer ?? e.form.peerQuery },
  { step: 'port', label: 'port', value: (e) => e.form.port },
  { step: 'method', label: 'method', value: (e) => e.form.method },
  { step: 'path', label: 'path', value: (e) => e.form.path },
  { step: 'jwt', label: 'jwt', value: (e) => (e.form.jwt ? `${e.form.jwt.slice(0, 12)}… (not shown)` : '') },
];

export function ExplainView({
  data,
  entry,
  width,
  height,
}: {
  data: UiData;
  entry: ExplainEntry;
  width: number;
  height: number;
}): ReactElement {
  const theme = useTheme();
  const rows = entry.step === 'peer' ? pickerRows(data, entry) : [];
  const problem = entry.step === 'result' ? null : fieldProblem(data, entry.step, entry.form, rows.length);
  // wrapped at words, not cut: the did-you-mean is at the end of the engine's message
  const problemLines = problem
    ? wrapDoc([line(`  ${PROBLEM_MARK[problem.level]} ${problem.text}`)], width).map((l, i) => (
        <Text key={`problem${i}`} {...toneProps(PROBLEM_TONE[problem.level], theme)}>
          {fit(l.text, width)}
        </Text>
      ))
    : [];
  const formLines = FIELDS.map((f) => {
    const active = f.step === entry.step;
    return (
      <Text key={f.step} bold={active}>
        {fit(`${active ? '>' : ' '} ${f.label.padEnd(7)} ${f.value(entry)}${active ? '▏' : ''}`, width)}
      </Text>
    );
  });
  const body =
    entry.step === 'peer' ? (
      <TableView
        columns={PEER_COLUMNS}
        window={tableWindow(rows, entry.cursor, Math.max(1, height - 8 - problemLines.length))}
        cursor={entry.cursor}
        width={width}
        empty="no Service or pod matches"
      />
    ) : entry.step === 'result' ? (
      <DocView
        lines={wrapDoc(entry.result ?? [], width)}
        offset={entry.cursor}
        width={width}
        height={Math.max(1, height - 7)}
      />
    ) : (
      <Text dimColor>{fit(EXPLAIN_PROMPTS[entry.step], width)}</Text>
    );
  return (
    <Box flexDirection="column">
      <Text bold>{fit(`from ${entry.source}`, width)}</Text>
      {formLines}
      {problemLines}
      {entry.step === 'peer' ? <Text dimColor>{fit(EXPLAIN_PROMPTS.peer, width)}</Text> : null}
      {body}
    </Box>
  );
}

const onlyInResult: ViewKey<'explain'>['disabled'] = ({ entry }) =>
  entry.step === 'result' ? null : 'run the query first';

/** The form's keys: while it takes text, these and nothing else act (any other character is typed). */
const FORM_KEYS: readonly ViewKey<'explain'>[] = [
  {
    id: 'form-next',
    keys: ['enter'],
    description: 'Pick the highlighted destination / accept the field (the last one runs explain)',
    short: 'next field',
    category: 'prompt',
    run: ({ state, data }) => formNext(state, data),
  },
  {
    id: 'form-delete',
    keys: ['backspace', 'delete'],
    description: 'Delete the last character of the field',
    category: 'prompt',
    run: ({ state }) => formDelete(state),
  },
  {
    id: 'form-up',
    keys: ['up'],
    description: 'Move the destination selection up',
    short: 'pick',
    category: 'prompt',
    run: ({ state, data }) => formMove(state, data, -1),
    disabled: ({ entry }) => (entry.step === 'peer' ? null : 'only the destination is picked from a list'),
  },
  {
    id: 'form-down',
    keys: ['down'],
    description: 'Move the destination selection down',
    category: 'prompt',
    run: ({ state, data }) => formMove(state, data, 1),
    disabled: ({ entry }) => (entry.step === 'peer' ? null : 'only the destination is picked from a list'),
  },
  {
    id: 'back',
    keys: ['esc'],
    description: 'Leave the form',
    short: 'back',
    category: 'navigation',
    run: ({ state }) => ({ ...state, stack: pop(state.stack) }),
  },
];

export const explainView: ViewDescriptor<'explain'> = {
  id: 'explain',
  title: 'Explain',
  crumb: (entry) => `explain ${entry.source}`,
  aliases: [{ word: 'explain' }, { word: 'x' }],
  open: (state, data) => startExplain(state, data),
  document: (_data, _state, entry) => entry.result ?? [],
  cursorRange: (data, state, entry) =>
    entry.step === 'peer' ? pickerRows(data, entry).length : documentLines(state, entry.result ?? []),
  render: ({ data, entry, width, height }) => <ExplainView data={data} entry={entry} width={width} height={height} />,
  keys: [
    {
      id: 'show-fix',
      keys: ['f'],
      description: 'Show the fix YAML (c copies it, :w FILE writes it)',
      short: 'fix',
      category: 'views',
      run: ({ state }) => showFix(state),
      disabled: ({ entry }) =>
        entry.step !== 'result'
          ? 'run the query first'
          : entry.fixYaml
            ? null
            : 'no fix: nothing in this answer needs a change',
    },
    {
      id: 'explain-edit',
      keys: ['e'],
      description: 'Edit the query (port, method, path, JWT) and run it again',
      short: 'edit',
      category: 'views',
      run: ({ state, entry }) => ({
        ...state,
        stack: replaceTop(state.stack, { ...entry, step: 'port', cursor: 0, result: null }),
      }),
      disabled: onlyInResult,
    },
  ],
  textInput: {
    active: (entry) => entry.step !== 'result',
    keys: FORM_KEYS,
    typeText: ({ state, key }) => formType(state, key),
    hint: (entry) => `typing the ${FORM_FIELD_NAMES[entry.step]}`,
  },
};

function documentLines(state: AppState, lines: readonly DocLine[]): number {
  return wrapDoc(lines, state.width).length;
}
