import { describe, expect, it } from 'vitest';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from '../../src/util/nesting-depth.js';

const brackets = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('findExcessiveNesting', () => {
  it('accepts ordinary manifests', () => {
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: "x[y"}}\nspec:\n  containers:\n  - name: c\n    args: ["a[", 'b{']\n    command: echo [x] {y}\n`;
    expect(findExcessiveNesting(yaml)).toBeNull();
  });
  it('accepts nesting at the limit', () => {
    expect(findExcessiveNesting(brackets(MAX_NESTING_DEPTH - 1))).toBeNull();
  });
  it('flow brackets past the limit: line and column of the first bracket too deep', () => {
    expect(findExcessiveNesting(`a: 1\nb: ${brackets(5000)}`)).toMatchObject({
      line: 2,
      column: 3 + MAX_NESTING_DEPTH,
    });
  });
  it('JSON objects past the limit', () => {
    const json = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    expect(findExcessiveNesting(json)?.line).toBe(1);
  });
  it('compact block sequences (- - - ...) count one level each', () => {
    expect(findExcessiveNesting(`x:\n  ${'- '.repeat(3000)}v\n`)?.line).toBe(2);
  });
  it('brackets inside quoted strings, comments and block scalars do not count', () => {
    const many = '['.repeat(3000);
    expect(findExcessiveNesting(`a: "${many}"\nb: '${many}'\n# ${many}\nc: |\n  ${many}\n  more\nd: 1\n`)).toBeNull();
  });
  // explain --batch scans only lines of MAX_NESTING_DEPTH characters or more (mayNestTooDeep)
  it('a line nests at most one level more than it has characters: shorter than the limit is never too deep', () => {
    const n = MAX_NESTING_DEPTH - 1;
    for (const line of [
      '['.repeat(n),
      '{'.repeat(n),
      '- '.repeat(n / 2) + '-',
      `${' '.repeat(n - 1)}[`,
      '{"a":['.repeat(n),
    ].map((l) => l.slice(0, n)))
      expect(findExcessiveNesting(line)).toBeNull();
    expect(findExcessiveNesting('['.repeat(MAX_NESTING_DEPTH))).not.toBeNull();
  });
});
