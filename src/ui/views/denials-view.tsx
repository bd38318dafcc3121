/** The correlator's denials, newest first, repeats counted. */
import type { ReactElement } from 'react';
import { TableView, type Column } from '../components/table-view.js';
import { formatClock } from '../docs/time.js';
import type { AggregatedDenial } from '../state/app-state.js';
import { visibleDenials } from '../state/select.js';
import { stripControl } from '../sanitize.js';
import type { ListViewProps } from './pods-view.js';

const COLUMNS: readonly Column<AggregatedDenial>[] = [
  { title: 'TIME', width: 8, cell: (d) => formatClock(d.time) },
  { title: 'N', width: 4, cell: (d) => String(d.count) },
  { title: 'SOURCE', width: 18, cell: (d) => stripControl(d.source) },
  { title: 'DESTINATION', width: 18, cell: (d) => stripControl(d.destination) },
  { title: 'REQUEST', width: 16, cell: (d) => stripControl(d.request) },
  { title: 'POLICY / RULE', cell: (d) => stripControl(d.ruleRef ?? 'matched policy none'), tone: (d) => (d.enforcement === 'shadow' ? 'warning' : 'error') },
];

export function DenialsView({ state, cursor, width, height }: ListViewProps): ReactElement {
  return <TableView columns={COLUMNS} rows={visibleDenials(state)} cursor={cursor} width={width} height={height} empty="no denials seen yet" />;
}
