/**
 * Colours in one place. With NO_COLOR (or colors off) nothing is coloured; selection
 * and highlights fall back to inverse/bold, which are not colours.
 */
import { createContext, useContext } from 'react';
import type { Tone } from './docs/doc.js';

export interface Theme {
  readonly colors: boolean;
}

export const ThemeContext = createContext<Theme>({ colors: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

const TONE_COLORS: Readonly<Record<Tone, string | undefined>> = {
  plain: undefined,
  heading: 'cyan',
  highlight: 'yellow',
  error: 'red',
  warning: 'yellow',
  ok: 'green',
  dim: 'gray',
};

/** Text props for a tone: a colour when allowed, else bold/inverse for the tones that need to stand out. */
export function toneProps(
  tone: Tone,
  theme: Theme,
): { color?: string; bold?: boolean; inverse?: boolean; dimColor?: boolean } {
  if (theme.colors) return { color: TONE_COLORS[tone], bold: tone === 'heading' || tone === 'highlight' };
  if (tone === 'highlight') return { inverse: true };
  if (tone === 'heading' || tone === 'error') return { bold: true };
  return {};
}

/** NO_COLOR set to anything non-empty turns colours off (https://no-color.org). */
export function colorsFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env['NO_COLOR'];
  return noColor === undefined || noColor === '';
}
