import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keysMarkdown } from '../../../src/ui/docs/keys-markdown.js';
import { KEYMAP } from '../../../src/ui/keymap.js';
import { allViews } from '../../../src/ui/views/registry.js';

describe('docs/keys.md', () => {
  it('is what the generator writes from the keymap (run scripts/generate-keys-doc.ts after changing keys or views)', () => {
    expect(readFileSync('docs/keys.md', 'utf8')).toBe(keysMarkdown());
  });

  it('lists every binding and marks writes', () => {
    const md = keysMarkdown();
    for (const b of KEYMAP) expect(md).toContain(b.description);
    for (const view of allViews()) {
      expect(md).toContain(`## ${view.title}`);
      for (const k of view.keys) expect(md).toContain(k.description);
      for (const a of view.aliases) expect(md).toContain(`\`:${a.word}\``);
    }
    expect(md).toMatch(/\| `L` \| Raise the rbac logger.* \| \*\*write\*\* \|/);
  });
});
