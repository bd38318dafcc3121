/**
 * A virtualized table: only the rows in the window around the cursor are rendered,
 * so 20k pods cost the same as 20.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { hiddenMark, layoutColumns, type ColumnSpec } from './column-layout.js';
import { fit } from './truncate.js';

export interface Column<T> extends ColumnSpec {
  readonly cell: (row: T) => string;
  /** the table is sorted by this column: its title is marked ↑ or ↓ */
  readonly sorted?: 'ascending' | 'descending';
  readonly tone?: (row: T) => 'error' | 'warning' | 'ok' | 'dim' | 'plain';
}

export interface TableViewProps<T> {
  readonly columns: readonly Column<T>[];
  /** only the rows on screen (see `tableWindow`): props stay small with 20k rows */
  readonly window: TableWindow<T>;
  readonly cursor: number;
  readonly width: number;
  readonly empty: string;
}

export interface TableWindow<T> {
  readonly start: number;
  readonly rows: readonly T[];
}

/** First visible row so the cursor stays on screen. */
export function windowStart(cursor: number, height: number, total: number): number {
  if (total <= height) return 0;
  const start = Math.max(0, cursor - Math.floor(height / 2));
  return Math.min(start, total - height);
}

/** The slice of `rows` a table of `height` shows with the cursor on screen. */
export function tableWindow<T>(rows: readonly T[], cursor: number, height: number): TableWindow<T> {
  const start = windowStart(cursor, height, rows.length);
  return { start, rows: rows.slice(start, start + height) };
}

function titleOf<T>(c: Column<T>): string {
  return c.sorted === undefined ? c.title : `${c.title}${c.sorted === 'ascending' ? '↑' : '↓'}`;
}

function joinCells(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((t, i) => ((widths[i] ?? 0) === 0 ? null : fit(t, widths[i] ?? 0, true)))
    .filter((t) => t !== null)
    .join(' ');
}

const TONE_COLOR = { error: 'red', warning: 'yellow', ok: 'green', dim: 'gray', plain: undefined } as const;

/** Without colours the inverse highlight is not drawn either (NO_COLOR), so the selected row gets a `>` gutter. */
const GUTTER = 2;

export function TableView<T>(props: TableViewProps<T>): ReactElement {
  const theme = useTheme();
  const gutter = theme.colors ? 0 : GUTTER;
  const { start, rows: visible } = props.window;
  const cells = props.columns.map((c) => visible.map((r) => c.cell(r)));
  const titles = props.columns.map(titleOf);
  const { widths: w, hidden } = layoutColumns(
    props.columns.map((c, i) => ({ ...c, title: titles[i] ?? c.title })),
    cells,
    props.width - gutter,
  );
  const lead = (selected: boolean): string => (gutter === 0 ? '' : selected ? '> ' : '  ');
  const mark = hiddenMark(hidden);
  const header = fit(lead(false) + joinCells(titles, w), Math.max(0, props.width - mark.length)) + mark;
  return (
    <Box flexDirection="column">
      <Text bold>{header}</Text>
      {visible.length === 0 ? <Text dimColor>{props.empty}</Text> : null}
      {visible.map((row, i) => {
        const selected = start + i === props.cursor;
        const tone = props.columns.map((c) => c.tone?.(row) ?? 'plain').find((t) => t !== 'plain') ?? 'plain';
        const text = fit(
          lead(selected) +
            joinCells(
              cells.map((col) => col[i] ?? ''),
              w,
            ),
          props.width,
        );
        const color = theme.colors ? TONE_COLOR[tone] : undefined;
        return (
          <Text key={start + i} inverse={selected} color={color}>
            {text}
          </Text>
        );
      })}
    </Box>
  );
}
