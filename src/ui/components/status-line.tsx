/** The line above the footer: the prompt being typed, a confirmation, or the flash message. */
import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { Flash, Mode } from '../state/app-state.js';
import { useTheme } from '../theme.js';
import { fit } from './truncate.js';
import { stripControl } from '../sanitize.js';

export function StatusLine({ mode, flash, width }: { mode: Mode; flash: Flash | null; width: number }): ReactElement {
  const theme = useTheme();
  if (mode.kind === 'filter') return <Text>{fit(`/${mode.text}▏`, width)}</Text>;
  if (mode.kind === 'command') return <Text>{fit(`:${mode.text}▏`, width)}</Text>;
  if (mode.kind === 'confirm')
    return (
      <Text bold color={theme.colors ? 'yellow' : undefined}>
        {fit(`[write] ${stripControl(mode.message)}`, width)}
      </Text>
    );
  if (flash === null) return <Text> </Text>;
  const color = theme.colors ? (flash.level === 'error' ? 'red' : 'green') : undefined;
  return (
    <Text color={color} bold={flash.level === 'error'}>
      {fit(stripControl(flash.level === 'error' ? `error: ${flash.text}` : flash.text), width)}
    </Text>
  );
}
