/** Issue 17: explain --batch answers every input line, blank ones included: output line N is input line N. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(() => ensureBuilt());

describe('explain --batch line alignment', () => {
  it('answers a blank line with an empty-line Error on the same line number, without failing the batch', () => {
    const q = (id: string): string =>
      JSON.stringify({ id, src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80 });
    const r = runCli(['explain', '--batch', '-', '--from', 'examples/poc-mesh/manifests'], {
      input: `${q('a')}\n\n   \n${q('b')}\n`,
    });
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id: unknown; code?: string });
    expect(lines.map((l) => [l.kind, l.id, l.code ?? null])).toEqual([
      ['Explanation', 'a', null],
      ['Error', null, 'empty-line'],
      ['Error', null, 'empty-line'],
      ['Explanation', 'b', null],
    ]);
    expect(r.code).toBe(0);
  });
});
