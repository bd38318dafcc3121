/** Shows a window of a document at a scroll offset (virtualized like the tables). */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { DocLine } from '../docs/doc.js';
import { toneProps, useTheme } from '../theme.js';
import { fit } from './truncate.js';

export interface DocViewProps {
  readonly lines: readonly DocLine[];
  readonly offset: number;
  readonly height: number;
  readonly width: number;
}

export function DocView({ lines, offset, height, width }: DocViewProps): ReactElement {
  const theme = useTheme();
  const start = Math.max(0, Math.min(offset, lines.length - height));
  const visible = lines.slice(start, start + height);
  return (
    <Box flexDirection="column">
      {visible.map((l, i) => (
        <Text key={start + i} {...toneProps(l.role, theme)}>
          {fit(l.text, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
