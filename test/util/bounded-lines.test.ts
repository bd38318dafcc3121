import { describe, expect, it } from 'vitest';
import { boundedLines } from '../../src/util/bounded-lines.js';
import type { BoundedLine } from '../../src/util/bounded-lines.js';

async function* from(chunks: Iterable<string>): AsyncGenerator<string> {
  for (const c of chunks) yield c;
}

async function all(chunks: Iterable<string>, max = 10): Promise<BoundedLine[]> {
  const out: BoundedLine[] = [];
  for await (const l of boundedLines(from(chunks), max)) out.push(l);
  return out;
}

const texts = async (chunks: Iterable<string>): Promise<string[]> => (await all(chunks)).map((l) => l.text);

describe('boundedLines', () => {
  it.each([
    ['\\n, \\r\\n and a lone \\r end a line (as readline)', ['a\nb\r\nc\rd'], ['a', 'b', 'c', 'd']],
    ['a \\r\\n split across two chunks is one line end', ['a\r', '\nb\n'], ['a', 'b']],
    ['a \\r ending a chunk, then a line, is still a line end', ['a\r', 'b\n'], ['a', 'b']],
    ['empty lines are kept; a final line end adds no line', ['\n\nx\n'], ['', '', 'x']],
    ['a line spread over chunks is joined', ['ab', 'cd', 'e\nf'], ['abcde', 'f']],
  ])('%s', async (_name, chunks, expected) => {
    expect(await texts(chunks)).toEqual(expected);
  });

  it('cuts a long line to maxChars, says how long it was, and reads on', async () => {
    expect(await all(['0123456', '789abcdef', '\nok\n', 'x'.repeat(25)])).toEqual([
      { text: '0123456789', length: 16 },
      { text: 'ok', length: 2 },
      { text: 'x'.repeat(10), length: 25 },
    ]);
  });

  it('a line longer than V8 strings allow (600 Mi chars, no newline) costs maxChars, then the next line comes', async () => {
    const mib = 'a'.repeat(1024 * 1024);
    function* chunks(): Generator<string> {
      for (let i = 0; i < 600; i++) yield mib; // readline would throw "Invalid string length" here
      yield '\nnext\n';
    }
    const lines = await all(chunks(), 64 * 1024);
    expect(lines.map((l) => [l.text.length, l.length])).toEqual([
      [64 * 1024, 600 * 1024 * 1024],
      [4, 4],
    ]);
  });
});
