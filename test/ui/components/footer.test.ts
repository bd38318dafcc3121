import { describe, expect, it } from 'vitest';
import { hintText } from '../../../src/ui/components/footer.js';
import { VIEW_SCOPES } from '../../../src/ui/keymap.js';

describe('footer hints', () => {
  it('start with help, then the view keys, and mark writes', () => {
    const hints = hintText(VIEW_SCOPES['pods'] ?? [], false);
    expect(hints.startsWith('? help  / filter  <enter> detail')).toBe(true);
    expect(hints).toContain('L log level [write]');
    expect(hints.indexOf('q quit')).toBeGreaterThan(hints.indexOf('x explain'));
  });

  it('leave writes out in read-only mode', () => {
    expect(hintText(VIEW_SCOPES['pods'] ?? [], true)).not.toContain('[write]');
  });
});
