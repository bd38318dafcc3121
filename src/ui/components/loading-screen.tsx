/**
 * What the terminal shows while a big input or a cluster's first lists are read, before the
 * first frame of the app: objects read so far and the files or kinds still pending.
 */
import { useEffect, useState, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { LoadProgress } from '../../sources/load-progress.js';
import { useTerminalSize, type TerminalSize } from '../hooks/use-terminal-size.js';
import { stripControl } from '../sanitize.js';
import { fit } from './truncate.js';

/** Progress reports, kept for the screen: the latest one, and who to tell. */
export interface ProgressStore {
  current(): LoadProgress | null;
  subscribe(listener: () => void): () => void;
  report(progress: LoadProgress): void;
}

export function createProgressStore(): ProgressStore {
  let latest: LoadProgress | null = null;
  const listeners = new Set<() => void>();
  return {
    current: () => latest,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(progress) {
      latest = progress;
      for (const l of listeners) l();
    },
  };
}

const PLURAL: Readonly<Record<LoadProgress['unit'], string>> = { file: 'files', kind: 'kinds' };

/** `objects read: 1200   files: 3 of 10` and the pending names that fit in `width`. */
export function progressLines(p: LoadProgress | null, width: number): string[] {
  if (p === null) return ['starting...'];
  const total = p.done + p.pending.length;
  const counts = `objects read: ${p.objects}   ${PLURAL[p.unit]}: ${p.done} of ${total}`;
  if (p.pending.length === 0) return [counts, 'building the view...'];
  const names = p.pending.map((n) => stripControl(n));
  const label = `${p.unit === 'kind' ? 'listing' : 'pending'}: `;
  let shown = '';
  let count = 0;
  for (const name of names) {
    const more = names.length - count - 1;
    const next = `${shown}${count > 0 ? ', ' : ''}${name}`;
    if ((label + next + (more > 0 ? ` (+${more})` : '')).length > width && count > 0) break;
    shown = next;
    count++;
  }
  const rest = names.length - count;
  return [counts, `${label}${shown}${rest > 0 ? ` (+${rest})` : ''}`];
}

export interface LoadingScreenProps {
  /** what is being read: `manifests: ./dump`, `context prod` */
  readonly source: string;
  readonly progress: ProgressStore;
  /** fixed size (tests); the terminal's otherwise */
  readonly size?: TerminalSize;
}

export function LoadingScreen({ source, progress, size }: LoadingScreenProps): ReactElement {
  const { columns } = useTerminalSize(size);
  const [current, setCurrent] = useState<LoadProgress | null>(progress.current());
  useEffect(() => progress.subscribe(() => setCurrent(progress.current())), [progress]);
  return (
    <Box flexDirection="column">
      <Text bold>{fit(`meshdbg  ${stripControl(source)}  loading`, columns)}</Text>
      {progressLines(current, columns).map((l, i) => (
        <Text key={i}>{fit(l, columns)}</Text>
      ))}
    </Box>
  );
}
