/**
 * Log files that are not what they claim: a huge line with no newline, a file of NUL bytes. Memory
 * stays bounded (the line is cut as it is read, bounded-lines.ts), the cut is reported with
 * file:line, and the other lines are still read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDenials } from '../../src/commands/denials.js';

const DENIAL =
  '[2025-01-01T10:00:00.000Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl" "id" "web" "-" inbound|80|| - 10.0.0.9:80 10.0.0.5:4000 - default\n';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

function logFile(content: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-hostile-')), 'proxy.log');
  writeFileSync(file, content);
  return file;
}

describe('denials --logs with hostile files', () => {
  it('a 20 MB line of NUL bytes is cut and reported with file:line; the denial after it is still found', async () => {
    const file = logFile(Buffer.concat([Buffer.alloc(20_000_000), Buffer.from(`\n${DENIAL}`)]));
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(err).toBe(`meshdbg: ${file}:1: line 1 has 20000000 characters; kept the first 65536\n`);
    expect(out).toContain('10.0.0.5 -> 10.0.0.9  GET / :80 -> 403  denied by sidecar');
  });

  it('a file of NUL bytes only: one cut line reported, no denial, no NUL printed', async () => {
    const file = logFile(Buffer.alloc(3_000_000));
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(err).toBe(`meshdbg: ${file}:1: line 1 has 3000000 characters; kept the first 65536\n`);
    expect(out).toContain('no denials in the logs');
    expect(out + err).not.toContain('\u0000');
  });

  it('line numbers after a cut line stay right for the issues that follow', async () => {
    const file = logFile(Buffer.from(`${'x'.repeat(70_000)}\nok\n{broken json\n${DENIAL}`));
    expect(await runDenials(['--logs', file])).toBe(0);
    const [cut, json, ...rest] = err.split('\n').filter(Boolean);
    expect([cut, rest]).toEqual([`meshdbg: ${file}:1: line 1 has 70000 characters; kept the first 65536`, []]);
    expect(json).toMatch(`meshdbg: ${file}:3: line 3 starts with { but is not valid JSON`);
  });

  it('stdin with a line longer than V8 strings allow (600 MiB, no newline): cut, reported, and the next line read', async () => {
    const mib = Buffer.alloc(1024 * 1024, 'a');
    function* bytes(): Generator<Buffer> {
      for (let i = 0; i < 600; i++) yield mib; // readline would throw "Invalid string length" and lose the file
      yield Buffer.from(`\n${DENIAL}`);
    }
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from(bytes()) as unknown as typeof process.stdin);
    expect(await runDenials(['--logs', '-'])).toBe(0);
    expect(err).toBe(`meshdbg: <stdin>:1: line 1 has ${600 * 1024 * 1024} characters; kept the first 65536\n`);
    expect(out).toContain('10.0.0.5 -> 10.0.0.9  GET / :80 -> 403  denied by sidecar');
  });
});
