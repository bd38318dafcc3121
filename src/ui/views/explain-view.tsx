/** The explain form (peer picker, port, method, path, JWT) and its result. */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { DocView } from '../components/doc-view.js';
import { wrapDoc } from '../docs/doc.js';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import type { PeerChoice } from '../data/peer-choices.js';
import type { UiData } from '../state/app-state.js';
import { EXPLAIN_PROMPTS } from '../state/explain-form.js';
import type { ExplainStep, ViewEntry } from '../state/navigation.js';
import { pickerRows } from '../state/select.js';
import { fieldProblem, type FieldProblem } from '../state/explain-validation.js';
import { line, type Tone } from '../docs/doc.js';
import { toneProps, useTheme } from '../theme.js';

type ExplainEntry = Extract<ViewEntry, { view: 'explain' }>;

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
