import { describe, expect, it } from 'vitest';
import { helpDoc } from '../../../src/ui/docs/help-doc.js';
import { bindingsFor, VIEW_SCOPES } from '../../../src/ui/keymap.js';

describe('help document', () => {
  it('has a line for every key of the view and the global keys, from the keymap', () => {
    const text = helpDoc('logs', false).map((l) => l.text).join('\n');
    for (const b of bindingsFor(VIEW_SCOPES['logs'] ?? [], { readonly: false })) expect(text).toContain(b.description);
  });

  it('leaves writes out in read-only mode', () => {
    const text = helpDoc('pods', true).map((l) => l.text).join('\n');
    expect(text).not.toContain('[write]');
    expect(text).toContain('Fuzzy filter pods');
  });
});
