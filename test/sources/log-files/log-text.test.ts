/**
 * Issue 17: logs saved as people save them are read, never "no denials": UTF-16LE with BOM (Windows
 * PowerShell 5 `>` redirection, about_Character_Encoding), UTF-16BE, UTF-8 with BOM, gzip by magic
 * bytes (RFC 1952 2.3.1) whatever the file is called; invalid bytes become U+FFFD, never a crash.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDenials } from '../../../src/commands/denials.js';
import { decodeLogStream } from '../../../src/sources/log-files/log-text.js';
import { detectEncoding } from '../../../src/util/utf8.js';
import { MeshdbgError } from '../../../src/util/errors.js';

const SEED_004_LOG = new URL(
  '../../../examples/np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log',
  import.meta.url,
);
const TEXT = readFileSync(SEED_004_LOG, 'utf8').replace(/\n/g, '\r\n'); // Windows line ends as well

const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
const ENCODED: readonly (readonly [string, Buffer])[] = [
  ['utf-8', Buffer.from(TEXT)],
  ['utf-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
  ['utf-16le with BOM (PowerShell 5)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
  ['utf-16le without BOM', Buffer.from(TEXT, 'utf16le')],
  ['gzip', gzipSync(Buffer.from(TEXT))],
  ['gzip of utf-16le with BOM', gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))],
];

async function streamed(bytes: Buffer, chunkSize: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let text = '';
  for await (const part of decodeLogStream(Readable.from(chunks), 'x.log')) text += part;
  return text;
}

describe('log text decoding', () => {
  it.each(ENCODED)('%s: whole file and streamed in 1- and 3-byte chunks give the text', async (_name, bytes) => {
    expect(await streamed(bytes, bytes.length)).toBe(TEXT);
    expect(await streamed(bytes, 1)).toBe(TEXT);
    expect(await streamed(bytes, 3)).toBe(TEXT);
  });

  it('short and empty inputs', async () => {
    expect(detectEncoding(Buffer.from('ab'))).toBe('utf-8');
    expect(await streamed(Buffer.from('a'), 1)).toBe('a');
    expect(await streamed(Buffer.alloc(0), 1)).toBe('');
  });

  it('invalid bytes become U+FFFD, in UTF-8 and in UTF-16 (odd length, lone surrogate)', async () => {
    expect(await streamed(Buffer.from([0x61, 0xff, 0xc3, 0x62]), 4)).toBe('a\uFFFD\uFFFDb');
    const odd = Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x62]);
    expect(await streamed(odd, odd.length)).toBe('a\uFFFD'); // a high surrogate cut by the end: one replacement (WHATWG utf-16 decoder)
    expect(await streamed(odd, 1)).toBe('a\uFFFD');
  });

  it('gzip that does not decompress is a clear input error, whole or streamed', async () => {
    const cut = gzipSync(Buffer.from(TEXT)).subarray(0, 40);
    await expect(streamed(cut, cut.length)).rejects.toThrow(
      /cannot read --logs x.log: it starts as gzip data but does not decompress/,
    );
    await expect(streamed(cut, 7)).rejects.toThrow(MeshdbgError);
  });
});

describe('denials reads every encoding', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array) => ((out += String(chunk)), true),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-encodings-'));
  it.each(ENCODED)('%s (file named .log, gzip found by magic bytes)', async (name, bytes) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.log`);
    writeFileSync(file, bytes);
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(out).toContain('AuthorizationPolicy np-test-2/deny-all-ingress-using-authorizationpolicy rule 0');
    expect(out).not.toContain('no denials');
  });

  it('a cut .gz is exit-2 material naming the file', async () => {
    const file = join(dir, 'cut.log.gz');
    writeFileSync(file, gzipSync(Buffer.from(TEXT)).subarray(0, 40));
    const err = await runDenials(['--logs', file]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshdbgError);
    expect((err as MeshdbgError).exitCode).toBe(2);
    expect((err as MeshdbgError).userMessage).toContain(`cannot read --logs ${file}: it starts as gzip data`);
  });
});
