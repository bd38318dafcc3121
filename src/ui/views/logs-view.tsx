/**
 * The istio-proxy tail of one pod, RBAC lines highlighted, with a CNI health pane.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { fit } from '../components/truncate.js';
import { formatClock } from '../docs/time.js';
import type { AppState } from '../state/app-state.js';
import { replaceTop, type LogsOptions } from '../state/navigation.js';
import type { ViewDescriptor, ViewKey } from './descriptor.js';
import { filterKey } from './common-keys.js';
import { logLevelKey } from './pod-keys.js';
import { isRbacLine, visibleLogLines } from '../state/select.js';
import { stripControl } from '../sanitize.js';
import { redactText } from '../../util/redact.js';
import { useTheme } from '../theme.js';
import { windowStart } from '../components/table-view.js';

/** The navigation entry of this view. */
export interface LogsEntry {
  readonly view: 'logs';
  readonly cursor: number;
  readonly pod: string;
  readonly options: LogsOptions;
}

export const CNI_PANE_HEIGHT = 4;

function optionsText(entry: LogsEntry): string {
  const o = entry.options;
  const window =
    o.tailLines !== null
      ? `tail ${o.tailLines}`
      : o.windowMs !== null
        ? `last ${Math.round(o.windowMs / 60000)}m`
        : 'all';
  return `${window}  autoscroll:${o.autoscroll ? 'on' : 'off'}  wrap:${o.wrap ? 'on' : 'off'}${o.rbacOnly ? '  rbac only' : ''}`;
}

function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.length > 0 ? out : [''];
}

export function LogsView({
  state,
  entry,
  cursor,
  width,
  height,
}: {
  state: AppState;
  entry: LogsEntry;
  /** the selected line (it follows its line when old lines leave the buffer) */
  cursor: number;
  width: number;
  height: number;
}): ReactElement {
  const theme = useTheme();
  const lines = visibleLogLines(state, entry);
  const paneHeight = Math.max(1, height - CNI_PANE_HEIGHT - 2);
  const start = entry.options.autoscroll
    ? Math.max(0, lines.length - paneHeight)
    : windowStart(cursor, paneHeight, lines.length);
  const shown = lines
    .slice(start, start + paneHeight)
    .flatMap((l, i) => {
      const text = `${formatClock(l.time)} ${redactText(stripControl(l.text))}`;
      const rbac = isRbacLine(l.text);
      const selected = !entry.options.autoscroll && start + i === cursor;
      return (entry.options.wrap ? wrapLines(text, width) : [fit(text, width)]).map((t) => ({ t, rbac, selected }));
    })
    .slice(-paneHeight);
  const below = entry.options.autoscroll ? 0 : lines.length - 1 - cursor;
  const cni = state.cni.slice(-CNI_PANE_HEIGHT);
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {fit(
          `istio-proxy ${entry.pod}  ${lines.length} lines  ${optionsText(entry)}${below > 0 ? `  ${below} newer below` : ''}`,
          width,
        )}
      </Text>
      {shown.length === 0 ? (
        <Text dimColor>
          {fit(`no log lines yet${state.filters.logs ? ` matching "${state.filters.logs}"` : ''}`, width)}
        </Text>
      ) : null}
      {shown.map((l, i) => (
        <Text key={i} color={theme.colors && l.rbac ? 'yellow' : undefined} bold={l.rbac} inverse={l.selected}>
          {l.t || ' '}
        </Text>
      ))}
      <Text bold>{fit('CNI health', width)}</Text>
      {cni.length === 0 ? (
        <Text dimColor>{fit('no CNI events (Calico flows, kube-router sync errors appear here)', width)}</Text>
      ) : null}
      {cni.map((c, i) => (
        <Text
          key={i}
          color={
            theme.colors
              ? c.severity === 'error'
                ? 'red'
                : c.severity === 'warning'
                  ? 'yellow'
                  : undefined
              : undefined
          }
        >
          {fit(`${formatClock(c.time)} ${stripControl(c.source)}: ${redactText(stripControl(c.text))}`, width)}
        </Text>
      ))}
    </Box>
  );
}

/** A key that changes the tail's options. */
function optionKey(
  id: string,
  key: string,
  description: string,
  change: (o: LogsOptions) => Partial<LogsOptions>,
  short?: string,
): ViewKey<'logs'> {
  return {
    id,
    keys: [key],
    description,
    ...(short === undefined ? {} : { short }),
    category: 'logs',
    run: ({ state, entry }) => ({
      ...state,
      stack: replaceTop(state.stack, { ...entry, options: { ...entry.options, ...change(entry.options) } }),
    }),
  };
}

const WINDOWS: readonly [string, string, string, number | null][] = [
  ['logs-window-1m', '1', 'Only the last minute', 60_000],
  ['logs-window-5m', '2', 'Only the last 5 minutes', 300_000],
  ['logs-window-15m', '3', 'Only the last 15 minutes', 900_000],
  ['logs-window-30m', '4', 'Only the last 30 minutes', 1_800_000],
  ['logs-window-1h', '5', 'Only the last hour', 3_600_000],
  ['logs-window-all', '6', 'Everything kept in the buffer', null],
];

export const logsView: ViewDescriptor<'logs'> = {
  id: 'logs',
  title: 'Logs',
  crumb: (entry) => `logs ${entry.pod}`,
  aliases: [],
  rows: (_data, state, entry) => visibleLogLines(state, entry).map((l) => String(l.seq)),
  render: ({ state, entry, cursor, width, height }) => (
    <LogsView state={state} entry={entry} cursor={cursor} width={width} height={height} />
  ),
  keys: [
    filterKey('Filter log lines by text'),
    optionKey(
      'logs-tail',
      '0',
      'Show the whole tail',
      () => ({ windowMs: null, tailLines: 200, autoscroll: true }),
      'tail',
    ),
    ...WINDOWS.map(([id, key, description, windowMs]) =>
      optionKey(id, key, description, () => ({ windowMs, tailLines: null })),
    ),
    optionKey('logs-autoscroll', 's', 'Toggle autoscroll', (o) => ({ autoscroll: !o.autoscroll }), 'autoscroll'),
    optionKey('logs-wrap', 'w', 'Toggle line wrap', (o) => ({ wrap: !o.wrap }), 'wrap'),
    optionKey('logs-rbac-only', 'r', 'Show only RBAC lines', (o) => ({ rbacOnly: !o.rbacOnly }), 'rbac only'),
    logLevelKey('Raise the rbac logger to debug on the pods of this workload'),
  ],
};
