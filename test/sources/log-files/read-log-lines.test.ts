import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLogLines } from '../../../src/sources/log-files/read-log-lines.js';
import { DEFAULT_LIMITS } from '../../../src/parsers/log-parser.js';

const file = (name: string, content: Buffer): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'meshdbg-read-lines-')), name);
  writeFileSync(path, content);
  return path;
};

describe('readLogLines (the TUI --logs FILE)', () => {
  it('cuts a 30 MB line of NUL bytes at the parser cap as it reads, and keeps the lines after it', async () => {
    const path = file('x.log', Buffer.concat([Buffer.alloc(30_000_000), Buffer.from('\r\nnext\nlast')]));
    const { lines, cut } = await readLogLines(path);
    expect(lines.map((l) => l.length)).toEqual([DEFAULT_LIMITS.maxLineBytes, 4, 4]);
    expect(cut).toEqual([1]);
  });

  it('reads gzip and UTF-16 (BOM) files as denials does', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\nb\n', 'utf16le')]);
    expect((await readLogLines(file('x.log.gz', gzipSync(utf16)))).lines).toEqual(['a', 'b']);
  });

  it('an injected cap holds', async () => {
    expect(await readLogLines(file('y.log', Buffer.from('0123456789\nab\n')), 4)).toEqual({
      lines: ['0123', 'ab'],
      cut: [1],
    });
  });

  it('a missing file rejects with its errno code (the command turns it into exit 2)', async () => {
    await expect(readLogLines('/nonexistent/meshdbg.log')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
