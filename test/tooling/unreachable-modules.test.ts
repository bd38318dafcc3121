// Every module in src/ is used by the product: reached from an entry point build/bundle.mjs
// bundles (src/cli.ts, and the worker thread explain --batch starts) or from the repository's other programs, the scripts/ that
// generate docs and the bench/ that measures the product. A module that only tests reach is
// dead code that still costs upkeep (issue 10: "delete what stays unused"). Every import counts
// here, type-only ones too: a module of types is used by whoever names its types.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-graph.js';
import { unreachableModules } from '../helpers/import-reach.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/import-cycle';

/** The src/ entry points build/bundle.mjs bundles (its `entryPoints`). */
function bundleEntries(): string[] {
  const bundle = readFileSync(join(ROOT, 'build/bundle.mjs'), 'utf8');
  const entries = /entryPoints:\s*\{([^}]*)\}/.exec(bundle)?.[1] ?? '';
  return [...entries.matchAll(/'(src\/[^']+\.ts)'/g)].map((m) => m[1] as string);
}

describe('modules no program uses', () => {
  it('finds the fixture modules its entry does not reach, through static, type and import() edges', () => {
    const graph = importGraph(ROOT, [FIXTURE]);
    expect(unreachableModules(graph, [`${FIXTURE}/a.ts`])).toEqual(
      ['c.ts', 'd.ts', 'e.ts', 'f.ts'].map((m) => `${FIXTURE}/${m}`),
    );
    expect(unreachableModules(graph, [`${FIXTURE}/c.ts`, `${FIXTURE}/e.ts`])).toEqual(
      ['a.ts', 'b.ts'].map((m) => `${FIXTURE}/${m}`),
    );
  });

  it("every module in src/ is reached from the bundle's entry points, scripts/ or bench/", () => {
    const graph = importGraph(ROOT, ['src', 'scripts', 'bench']);
    const programs = [...graph.keys()].filter((m) => m.startsWith('scripts/') || m.startsWith('bench/'));
    expect(programs.length).toBeGreaterThan(0);
    const entries = bundleEntries();
    expect(entries).toContain('src/cli.ts');
    const unused = unreachableModules(graph, [...entries, ...programs]).filter((m) => m.startsWith('src/'));
    expect(unused).toEqual([]);
  });
});
