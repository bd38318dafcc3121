import { describe, expect, it } from 'vitest';
import { stripControl } from '../../src/ui/sanitize.js';

describe('stripControl', () => {
  it('removes CSI colour and cursor sequences', () => {
    expect(stripControl('\u001b[31mred\u001b[0m \u001b[2J\u001b[Hx')).toBe('red x');
  });

  it('removes OSC sequences such as title changes and hyperlinks', () => {
    expect(stripControl('a\u001b]0;pwned\u0007b\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\')).toBe('ablink');
  });

  it('removes bare C0/C1 controls and DEL, turns tabs into spaces', () => {
    expect(stripControl('a\u0000b\u0008c\u0085d\u007fe\tf')).toBe('abcde  f');
  });

  it('folds newlines and carriage returns unless asked to keep lines', () => {
    expect(stripControl('one\r\ntwo')).toBe('one two');
    expect(stripControl('one\r\ntwo', true)).toBe('one\ntwo');
  });
});
