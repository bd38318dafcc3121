/** Writes docs/keys.md from the keymap table: `npx tsx scripts/generate-keys-doc.ts`. */
import { writeFileSync } from 'node:fs';
import { keysMarkdown } from '../src/ui/docs/keys-markdown.js';

writeFileSync(new URL('../docs/keys.md', import.meta.url), keysMarkdown());
process.stdout.write('wrote docs/keys.md\n');
