import { describe, expect, it } from 'vitest';
import { colorsFromEnv, toneProps } from '../../src/ui/theme.js';

describe('theme', () => {
  it('honours NO_COLOR (any non-empty value)', () => {
    expect(colorsFromEnv({})).toBe(true);
    expect(colorsFromEnv({ NO_COLOR: '' })).toBe(true);
    expect(colorsFromEnv({ NO_COLOR: '1' })).toBe(false);
  });

  it('uses no colour without colours, inverse for highlights and bold for errors', () => {
    for (const tone of ['plain', 'heading', 'highlight', 'error', 'warning', 'ok', 'dim'] as const) {
      expect(toneProps(tone, { colors: false }).color).toBeUndefined();
    }
    expect(toneProps('highlight', { colors: false }).inverse).toBe(true);
    expect(toneProps('error', { colors: false }).bold).toBe(true);
    expect(toneProps('error', { colors: true }).color).toBe('red');
  });
});
