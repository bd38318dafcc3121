/** Header: source, namespace, counts, what is available, raised log levels. */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { Availability, RaisedLevel } from '../state/app-state.js';
import { formatAge } from '../docs/time.js';
import { useTheme } from '../theme.js';
import { fit } from './truncate.js';
import { stripControl } from '../sanitize.js';

export interface HeaderProps {
  readonly source: string;
  readonly namespace: string | null;
  readonly pods: number;
  readonly policies: number;
  readonly recentDenials: number;
  /** every denial kept (recorded logs are older than the recent window) */
  readonly allDenials: number;
  /** lint errors, refusals and warnings (`:lint` lists them) */
  readonly findings: number;
  /** lines that looked like denials but were not understood */
  readonly unrecognizedDenials: number;
  readonly availability: Availability;
  readonly raised: readonly RaisedLevel[];
  readonly now: number;
  readonly width: number;
  readonly readonly: boolean;
}

export function Header(props: HeaderProps): ReactElement {
  const theme = useTheme();
  const line1 = `meshdbg  ${stripControl(props.source)}  ns:${stripControl(props.namespace ?? 'all')}  pods:${props.pods}  policies:${props.policies}  denials(5m):${props.recentDenials}${props.allDenials !== props.recentDenials ? ` all:${props.allDenials}` : ''}${props.unrecognizedDenials > 0 ? `  not-understood:${props.unrecognizedDenials}` : ''}${props.findings > 0 ? `  lint:${props.findings}` : ''}`;
  const tools = `istioctl:${props.availability.istioctl ? 'found' : 'not found'}  cni:${props.availability.cni ?? 'unknown'}${props.readonly ? '  read-only' : ''}`;
  const raised = props.raised.map(
    (r) =>
      `${stripControl(`${r.request.namespace}/${r.request.workload}`)} ${r.request.loggers.join(',')}:debug ${formatAge(r.until - props.now)} left`,
  );
  return (
    <Box flexDirection="column">
      <Text bold color={theme.colors ? 'cyan' : undefined}>
        {fit(line1, props.width)}
      </Text>
      <Text>{fit(tools, props.width)}</Text>
      {raised.length > 0 ? (
        <Text color={theme.colors ? 'yellow' : undefined} bold>
          {fit(`log level raised: ${raised.join('; ')}`, props.width)}
        </Text>
      ) : null}
    </Box>
  );
}
