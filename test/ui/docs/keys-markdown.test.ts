import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keysMarkdown } from '../../../src/ui/docs/keys-markdown.js';
import { KEYMAP } from '../../../src/ui/keymap.js';

describe('docs/keys.md', () => {
  it('is what the generator writes from the keymap (run scripts/generate-keys-doc.ts after changing keys)', () => {
    expect(readFileSync('docs/keys.md', 'utf8')).toBe(keysMarkdown());
  });

  it('lists every binding and marks writes', () => {
    const md = keysMarkdown();
    for (const b of KEYMAP) expect(md).toContain(b.description);
    expect(md).toMatch(/\| `L` \| Raise the rbac logger.* \| \*\*write\*\* \|/);
  });
});
