/**
 * explain --batch reads its lines bounded (util/bounded-lines.ts), a leading byte order mark dropped: a line longer than a query may
 * be is answered on its own line number with a bad-query Error naming its length, and the lines
 * after it are answered, from a FILE (on one thread or shared with workers) and from stdin, even
 * past V8's longest string, where readline threw and the batch stopped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBatch } from '../../src/commands/explain.js';
import { MAX_QUERY_LINE_CHARS } from '../../src/commands/explain-batch-line.js';
import { snapshotFromYaml } from '../helpers/snapshot.js';

const MESH = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ns}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
`;
const snapshot = snapshotFromYaml(MESH);
const query = (id: string): string => JSON.stringify({ id, src: 'ns/a', dst: 'ns/b', port: 8080 });

interface Line {
  kind: string;
  id: unknown;
  code?: string;
  message?: string;
  candidates?: string[];
}

async function batch(source: string, workers = 1): Promise<{ lines: Line[]; exit: number }> {
  const out: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const exit = await runBatch(source, snapshot, {}, (l) => void out.push(l), undefined, { workers, minBytes: 1 });
  // shared with workers, a write carries a chunk's lines
  const lines = out.join('').split('\n').filter(Boolean);
  return { lines: lines.map((l) => JSON.parse(l) as Line), exit };
}

afterEach(() => vi.restoreAllMocks());

const overlong = (n: number): Line => ({
  kind: 'Error',
  id: null,
  code: 'bad-query',
  candidates: [],
  message: `line 2: ${n.toLocaleString('en-US')} characters, longer than a query line may be (${MAX_QUERY_LINE_CHARS.toLocaleString('en-US')}); one JSON query per line, e.g. {"src":"ns/a","dst":"ns/b","port":8080}`,
});

describe('explain --batch with a line longer than a query may be', () => {
  const long = 'x'.repeat(MAX_QUERY_LINE_CHARS + 1);
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-long-')), 'q.jsonl');
  writeFileSync(file, `${query('a')}\n${long}\r\n${query('b')}\n${'y'.repeat(MAX_QUERY_LINE_CHARS)}\n`);

  it.each([1, 2])(
    'FILE on %i thread(s): that line is a bad-query Error with its length, the rest answered',
    async (workers) => {
      const { lines, exit } = await batch(file, workers);
      expect(lines.map((l) => [l.kind, l.id])).toEqual([
        ['Explanation', 'a'],
        ['Error', null],
        ['Explanation', 'b'],
        ['Error', null],
      ]);
      expect(lines[1]).toEqual(overlong(MAX_QUERY_LINE_CHARS + 1));
      // a line of exactly the limit is read whole and reaches the JSON parser
      expect(lines[3]?.message).toMatch(/^line 4: not JSON/);
      expect(exit).toBe(2);
    },
  );

  it('stdin with a line longer than V8 strings allow (600 MiB, no newline): the next line is still answered', async () => {
    const mib = Buffer.alloc(1024 * 1024, 'a');
    function* bytes(): Generator<Buffer> {
      yield Buffer.from(`${query('a')}\n`);
      for (let i = 0; i < 600; i++) yield mib;
      yield Buffer.from(`\n${query('b')}\n`);
    }
    const stdin = Readable.from(bytes(), { objectMode: false });
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(stdin as unknown as typeof process.stdin);
    const { lines, exit } = await batch('-');
    expect(lines).toEqual([
      expect.objectContaining({ id: 'a' }),
      overlong(600 * 1024 * 1024),
      expect.objectContaining({ id: 'b' }),
    ]);
    expect(exit).toBe(2);
  });

  it('a byte order mark before the first line (as Windows editors write) is dropped, as in manifests', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-bom-')), 'q.jsonl');
    writeFileSync(file, `\uFEFF${query('a')}\r\n${query('b')}\r\n`);
    const { lines, exit } = await batch(file);
    expect(lines.map((l) => [l.kind, l.id])).toEqual([
      ['Explanation', 'a'],
      ['Explanation', 'b'],
    ]);
    expect(exit).toBe(0);
  });

  it('a line split across reads, and a lone CR line end, as readline split them', async () => {
    const parts = [query('a').slice(0, 10), `${query('a').slice(10)}\r`, `${query('b')}\r`, `\n${query('c')}`];
    const stdin = Readable.from(
      parts.map((p) => Buffer.from(p)),
      { objectMode: false },
    );
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(stdin as unknown as typeof process.stdin);
    const { lines, exit } = await batch('-');
    expect(lines.map((l) => [l.kind, l.id])).toEqual([
      ['Explanation', 'a'],
      ['Explanation', 'b'],
      ['Explanation', 'c'],
    ]);
    expect(exit).toBe(0);
  });
});
