// No import cycle in src/: a module in a cycle can run while a module it imports is still
// half-initialized (ECMAScript module evaluation, https://tc39.es/ecma262/#sec-innermoduleevaluation),
// and a cycle ties the layers' modules into one lump. Only value imports count: `import type`
// is erased at compile time (verbatimModuleSyntax keeps every other import), so it loads nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, importSpecifiers } from '../helpers/import-graph.js';
import { describeCycles, importCycles } from '../helpers/import-cycles.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/import-cycle';

describe('import cycles', () => {
  it('finds the deliberate cycle of the fixture, and only it', () => {
    const cycles = importCycles(importGraph(ROOT, [FIXTURE]));
    expect(cycles.map((c) => c.modules)).toEqual([[`${FIXTURE}/a.ts`, `${FIXTURE}/b.ts`]]);
    expect(describeCycles(cycles)).toBe(`2 modules: ${FIXTURE}/a.ts -> ${FIXTURE}/b.ts -> ${FIXTURE}/a.ts`);
  });

  it('reads type-only imports as erased and `import()` as dynamic', () => {
    const found = importSpecifiers(
      'x.ts',
      [
        "import type { A } from './a.js';",
        "export type { B } from './b.js';",
        "import { type C } from './c.js';",
        "export { d } from './d.js';",
        "const e = () => import('./e.js');",
      ].join('\n'),
    );
    // `import { type C }` stays as `import {} from './c.js'` under verbatimModuleSyntax: it loads c.js
    // (https://www.typescriptlang.org/tsconfig/#verbatimModuleSyntax)
    expect(found).toEqual([
      { text: './a.js', kind: 'type' },
      { text: './b.js', kind: 'type' },
      { text: './c.js', kind: 'static' },
      { text: './d.js', kind: 'static' },
      { text: './e.js', kind: 'dynamic' },
    ]);
  });

  it('a cycle through several modules is listed with one way round', () => {
    const edge = (to: string) => ({ to, kind: 'static' as const });
    const graph = new Map([
      ['x.ts', [edge('y.ts')]],
      ['y.ts', [edge('z.ts'), edge('w.ts')]],
      ['z.ts', [edge('x.ts')]],
      ['w.ts', [edge('w.ts')]],
      ['v.ts', [edge('x.ts')]],
    ]);
    expect(describeCycles(importCycles(graph)).split('\n').sort()).toEqual([
      '1 module: w.ts -> w.ts',
      '3 modules: x.ts -> y.ts -> z.ts -> x.ts',
    ]);
  });

  it('src/ has none', () => {
    const graph = importGraph(ROOT, ['src']);
    expect(graph.size).toBeGreaterThan(100);
    expect(describeCycles(importCycles(graph))).toBe('');
  });
});
