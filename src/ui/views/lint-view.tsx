/**
 * `:lint`: what `meshdbg lint` reports on the same Snapshot (API-server rejections, refusals,
 * ignored kinds such as the removed ServiceRole), so the TUI is not silent about them.
 * The selected finding's whole message is shown under the table, wrapped.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { Finding } from '../../model/findings.js';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import { line, wrapDoc } from '../docs/doc.js';
import { stripControl } from '../sanitize.js';
import { visibleFindings } from '../state/select.js';
import { jumpTo } from '../state/navigation.js';
import { FINDING_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';
import { tableProps, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, sortColumnKey } from './common-keys.js';

/** The navigation entry of this view. */
export interface LintEntry {
  readonly view: 'lint';
  readonly cursor: number;
}

const PREVIEW_LINES = 3;

export function objectOf(f: Finding): string {
  if (f.object === null) return f.loc ? stripControl(f.loc.file) : '-';
  return stripControl(`${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
}

function columns(sort: TableSort | undefined): Column<Finding>[] {
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, FINDING_SORTS, sort);
  const tone = (f: Finding): 'error' | 'warning' | 'dim' =>
    f.severity === 'error' || f.severity === 'refused' ? 'error' : f.severity === 'warning' ? 'warning' : 'dim';
  return [
    { title: 'SEVERITY', width: 8, cell: (f) => f.severity, tone, ...mark('SEVERITY') },
    { title: 'CODE', min: 8, max: 32, cell: (f) => f.code, ...mark('CODE') },
    { title: 'OBJECT', min: 12, max: 50, drop: 1, cell: objectOf, ...mark('OBJECT') },
    { title: 'MESSAGE', min: 20, cell: (f) => stripControl(f.message) },
  ];
}

export function LintView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visibleFindings(data, state);
  const selected = rows[cursor];
  const preview = selected
    ? wrapDoc(
        [
          line(
            `${selected.loc ? `${stripControl(selected.loc.file)}${selected.loc.line === null ? '' : `:${selected.loc.line}`}  ` : ''}${selected.field ? `${stripControl(selected.field)}: ` : ''}${stripControl(selected.message)}`,
          ),
        ],
        width,
      ).slice(0, PREVIEW_LINES)
    : [];
  return (
    <Box flexDirection="column">
      <TableView
        columns={columns(state.tableSorts.lint)}
        window={tableWindow(rows, cursor, Math.max(1, height - PREVIEW_LINES))}
        cursor={cursor}
        width={width}
        empty={
          state.filters.lint ? `no finding matches "${state.filters.lint}"` : 'no lint findings: meshdbg lint is clean'
        }
      />
      {preview.map((l, i) => (
        <Text key={i} bold>
          {fit(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}

/** A finding's identity: the same finding found again keeps the selection. */
function findingKey(f: Finding): string {
  return `${f.code}|${f.object?.kind ?? ''}|${f.object?.namespace ?? ''}|${f.object?.name ?? ''}|${f.field ?? ''}|${f.message}`;
}

export const lintView: ViewDescriptor<'lint'> = {
  id: 'lint',
  title: 'Lint findings (:lint)',
  crumb: () => 'lint',
  aliases: [{ word: 'lint' }, { word: 'findings' }],
  open: (state) => ({ ...state, stack: jumpTo(state.stack, 'lint') }),
  rows: (data, state) => visibleFindings(data, state).map(findingKey),
  render: (props) => <LintView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    sortColumnKey(FINDING_SORTS),
    filterKey('Filter lint findings by text (severity, code, object, message)'),
  ],
};
