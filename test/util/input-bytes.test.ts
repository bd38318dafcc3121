/**
 * Input files and stdin are read no further than one text can hold (util/input-bytes.ts): a larger
 * file is refused by its size before it is read, with the fix, and stdin as soon as it passes the
 * limit; what fits is read whole.
 */
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execFileSync, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, readInputFile, readInputStream, SPLIT_MANIFESTS } from '../../src/util/input-bytes.js';
import { ensureBuilt, runCli } from '../commands/cli-harness.js';

const en = (n: number): string => n.toLocaleString('en-US');
const dir = mkdtempSync(join(tmpdir(), 'meshdbg-input-bytes-'));

/** A sparse file of `size` bytes: no disk blocks, read never (the size refuses it first). */
function sparse(name: string, size: number): string {
  const file = join(dir, name);
  const fd = openSync(file, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return file;
}

describe('readInputFile', () => {
  it('refuses a file one byte past the longest string, by its size, with the fix', async () => {
    const file = sparse('dump.yaml', MAX_INPUT_BYTES + 1);
    await expect(readInputFile(file, SPLIT_MANIFESTS)).rejects.toMatchObject({
      code: 'file-too-large',
      exitCode: 2,
      userMessage: `${file}: ${en(MAX_INPUT_BYTES + 1)} bytes (512.0 MiB), more than the ${en(MAX_INPUT_BYTES)} bytes (512.0 MiB) meshdbg reads as one text`,
      hint: SPLIT_MANIFESTS,
    });
  });

  it('reads a file of exactly the limit, and refuses one byte more', async () => {
    const file = join(dir, 'ten.yaml');
    writeFileSync(file, '0123456789');
    expect(Buffer.from(await readInputFile(file, 'split', 10)).toString()).toBe('0123456789');
    await expect(readInputFile(file, 'split', 9)).rejects.toMatchObject({
      code: 'file-too-large',
      userMessage: `${file}: 10 bytes (0.0 MiB), more than the 9 bytes (0.0 MiB) meshdbg reads as one text`,
    });
  });

  it('a pipe (--from <(cmd)) is read as a stream and refused as soon as it passes the limit', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('bash', ['-c', `yes 'a: b' > ${fifo} 2>/dev/null`]);
    try {
      await expect(readInputFile(fifo, 'split', 4096)).rejects.toMatchObject({
        code: 'file-too-large',
        userMessage: `${fifo}: more than the 4,096 bytes (0.0 MiB) meshdbg reads as one text`,
      });
    } finally {
      writer.kill();
    }
    const short = join(dir, 'short.yaml');
    execFileSync('mkfifo', [short]);
    const one = spawn('bash', ['-c', `printf 'a: b\\n' > ${short}`]);
    expect(Buffer.from(await readInputFile(short, 'split', 4096)).toString()).toBe('a: b\n');
    one.kill();
  });

  it('a missing file is unreadable-path, as before', async () => {
    await expect(readInputFile(join(dir, 'nope.yaml'), 'split')).rejects.toMatchObject({
      code: 'unreadable-path',
      userMessage: expect.stringContaining('cannot read'),
    });
  });
});

describe('readInputStream', () => {
  const chunks = (...parts: string[]): Readable => Readable.from(parts.map((p) => Buffer.from(p)));

  it('stops at the first chunk past the limit (an endless stdin is not read to its end)', async () => {
    let pulled = 0;
    function* endless(): Generator<Buffer> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(4, 'y');
      }
    }
    await expect(readInputStream(Readable.from(endless()), '<stdin>', 'split', 10)).rejects.toMatchObject({
      code: 'file-too-large',
      userMessage: '<stdin>: more than the 10 bytes (0.0 MiB) meshdbg reads as one text',
    });
    expect(pulled).toBeLessThan(10);
  });

  it('reads what fits whole', async () => {
    expect((await readInputStream(chunks('ab', 'cd'), '<stdin>', 'split', 4)).toString()).toBe('abcd');
  });
});

describe('as a user meets it', () => {
  beforeAll(() => ensureBuilt());

  it('meshdbg lint --from a dump larger than one text: exit 2, its size and how to split it, not "not UTF-8"', () => {
    const file = sparse('cluster.yaml', 600 * 1024 * 1024);
    const r = runCli(['lint', '--from', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}: 629,145,600 bytes (600.0 MiB), more than the ${en(MAX_INPUT_BYTES)} bytes (512.0 MiB) meshdbg reads as one text`,
    );
    expect(r.stderr).toContain('one file per namespace');
    expect(r.stderr).not.toContain('UTF-8');
  });
});
