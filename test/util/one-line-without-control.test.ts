import { describe, expect, it } from 'vitest';
import { oneLineWithoutControl } from '../../src/util/redact.js';
import { stripControl } from '../../src/ui/sanitize.js';

// Two cleaners on purpose: evidence lines (CLI output, snapshot status) keep the text's characters
// and drop line breaks; the TUI lays text out in columns, so a tab or newline becomes spaces.
describe('oneLineWithoutControl and the TUI stripControl', () => {
  const text = 'a\u001b[31mred\u001b[0m\tb\nc\rd';

  it('evidence: terminal sequences and line breaks removed, the tab kept', () => {
    expect(oneLineWithoutControl(text)).toBe('ared\tbcd');
  });

  it('TUI: terminal sequences removed, the tab as two spaces, the newline as one space', () => {
    expect(stripControl(text)).not.toContain('\u001b');
    expect(stripControl('x\ty\nz')).toBe('x  y z');
    expect(stripControl('x\ny', true)).toBe('x\ny');
  });

  it('leaves clean text as it is', () => {
    expect(oneLineWithoutControl('plain text')).toBe('plain text');
    expect(stripControl('plain text')).toBe('plain text');
  });
});
