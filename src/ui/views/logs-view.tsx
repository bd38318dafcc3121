/**
 * The istio-proxy tail of one pod, RBAC lines highlighted, with a CNI health pane.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { fit } from '../components/truncate.js';
import { formatClock } from '../docs/time.js';
import type { AppState } from '../state/app-state.js';
import type { ViewEntry } from '../state/navigation.js';
import { isRbacLine, visibleLogLines } from '../state/select.js';
import { stripControl } from '../sanitize.js';
import { redactText } from '../../util/redact.js';
import { useTheme } from '../theme.js';
import { windowStart } from '../components/table-view.js';

type LogsEntry = Extract<ViewEntry, { view: 'logs' }>;

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
