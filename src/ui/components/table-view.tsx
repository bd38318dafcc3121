/**
 * A virtualized table: only the rows in the window around the cursor are rendered,
 * so 20k pods cost the same as 20.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { fit } from './truncate.js';

export interface Column<T> {
  readonly title: string;
  /** fixed width; the one column without it takes the rest */
  readonly width?: number;
  readonly cell: (row: T) => string;
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

function widths<T>(columns: readonly Column<T>[], width: number): number[] {
  const fixed = columns.reduce((n, c) => n + (c.width ?? 0) + 1, 0);
  const flexible = Math.max(8, width - fixed - 1);
  return columns.map((c) => c.width ?? flexible);
}

const TONE_COLOR = { error: 'red', warning: 'yellow', ok: 'green', dim: 'gray', plain: undefined } as const;

export function TableView<T>(props: TableViewProps<T>): ReactElement {
  const theme = useTheme();
  const w = widths(props.columns, props.width);
  const { start, rows: visible } = props.window;
  const header = props.columns.map((c, i) => fit(c.title, w[i] ?? 0, true)).join(' ');
  return (
    <Box flexDirection="column">
      <Text bold>{header}</Text>
      {visible.length === 0 ? <Text dimColor>{props.empty}</Text> : null}
      {visible.map((row, i) => {
        const selected = start + i === props.cursor;
        const tone = props.columns.map((c) => c.tone?.(row) ?? 'plain').find((t) => t !== 'plain') ?? 'plain';
        const text = props.columns.map((c, j) => fit(c.cell(row), w[j] ?? 0, true)).join(' ');
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
