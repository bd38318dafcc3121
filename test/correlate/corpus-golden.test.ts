/**
 * A golden per form of the log corpus: every excerpt in test/fixtures/logs/real (real lines from
 * public issues, docs and repositories) and test/fixtures/logs/constructed (lines built from a cited
 * format, labelled as such) parses and correlates to exactly its `.golden.json`, and carries its
 * provenance in a `.source.md` beside it. `UPDATE_GOLDEN=1` rewrites the goldens; review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusLines, runCorpusLines, summary } from './corpus.js';

for (const kind of ['real', 'constructed'] as const) {
  const dir = corpusDir(kind);
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();
  describe(`${kind} log corpus`, () => {
    it.each(logs)('%s has its provenance beside it', (name) => {
      const source = readFileSync(`${dir}${name.replace(/\.log$/, '.source.md')}`, 'utf8');
      expect(source).toMatch(/Provenance: \S/);
      if (kind === 'constructed') expect(source).toMatch(/^Provenance: Constructed/m);
    });

    it.each(logs)('%s', (name) => {
      const r = runCorpusLines(corpusLines(`${dir}${name}`));
      const actual = `${JSON.stringify({ denials: r.denials.map(summary), unrecognized: r.unrecognized }, null, 2)}\n`;
      const golden = `${dir}${name.replace(/\.log$/, '.golden.json')}`;
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, actual);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  });
}
