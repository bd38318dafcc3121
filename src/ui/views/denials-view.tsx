/**
 * The correlator's denials, newest first, repeats counted. The full rule reference
 * of the selected denial is shown under the table, whatever the terminal width.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import { formatClock } from '../docs/time.js';
import type { AggregatedDenial } from '../state/app-state.js';
import { visibleDenials } from '../state/select.js';
import { stripControl } from '../sanitize.js';
import type { ListViewProps } from './pods-view.js';

/** `backend-deny-payments-example[0]`, or what the proxy said when no policy matched. */
export function policyCell(d: AggregatedDenial): string {
  if (d.policy === null) return d.ruleRef === null ? 'matched policy none' : stripControl(d.ruleRef);
  return stripControl(`${d.policy.name}${d.policy.rule === null ? '' : `[${d.policy.rule}]`}`);
}

function columns(width: number): Column<AggregatedDenial>[] {
  const wide = width >= 120;
  const peer = Math.max(12, Math.min(24, Math.floor((width - 41) / 2)));
  const tone = (d: AggregatedDenial): 'warning' | 'error' => (d.enforcement === 'shadow' ? 'warning' : 'error');
  const cols: Column<AggregatedDenial>[] = [
    { title: 'TIME', width: 8, cell: (d) => formatClock(d.time) },
    { title: 'N', width: 3, cell: (d) => String(d.count) },
    { title: 'SOURCE', width: peer, cell: (d) => stripControl(d.source) },
    { title: 'DESTINATION', width: peer, cell: (d) => stripControl(d.destination) },
  ];
  if (wide) cols.push({ title: 'REQUEST', width: 20, cell: (d) => stripControl(d.request) });
  cols.push({ title: 'POLICY[RULE]', cell: policyCell, tone });
  return cols;
}

export function DenialsView({ state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visibleDenials(state);
  const selected = rows[cursor];
  const preview = selected
    ? `${stripControl(selected.ruleRef ?? 'matched policy none')}  ${selected.enforcement} ${selected.layer} ${stripControl(selected.request)}`
    : '';
  return (
    <Box flexDirection="column">
      <TableView
        columns={columns(width)}
        window={tableWindow(rows, cursor, Math.max(1, height - 1))}
        cursor={cursor}
        width={width}
        empty="no denials seen yet"
      />
      <Text bold>{fit(preview, width)}</Text>
    </Box>
  );
}
