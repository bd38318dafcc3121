import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { decodeUtf8Strict } from '../../../src/util/utf8.js';

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-utf8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const namespace = (name: Uint8Array): Uint8Array =>
  Buffer.concat([Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '), name, Buffer.from('\n')]);

describe('manifests that are not UTF-8 are refused with their place (go-yaml: "invalid leading UTF-8 octet")', () => {
  it('a Latin-1 byte: a yaml-syntax error at its line and byte column, no object read with U+FFFD in it', async () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, namespace(Uint8Array.from([0x61, 0xe9, 0x62])));
    const loaded = await loadManifests([file]);
    expect(loaded.objects).toEqual([]);
    expect(loaded.findings.map((f) => [f.code, f.loc?.line])).toEqual([['yaml-syntax', 4]]);
    expect(loaded.findings[0]?.message).toContain('latin1.yaml:4:10: not UTF-8');
  });

  it('valid UTF-8, a BOM and CRLF still load', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), namespace(Buffer.from('caf\u00e9'))]));
    const loaded = await loadManifests([file]);
    expect(loaded.objects.length).toBe(1);
  });

  it('decodeUtf8Strict finds the first bad line and column, and keeps a literal U+FFFD that was written', () => {
    expect(decodeUtf8Strict(Buffer.from('a\nbc\uFFFD'))).toEqual({
      ok: true,
      text: 'a\nbc\uFFFD',
    });
    expect(decodeUtf8Strict(Uint8Array.from([0x61, 0x0a, 0x62, 0x63, 0xc3, 0x0a]))).toEqual({
      ok: false,
      line: 2,
      column: 3,
    });
    expect(decodeUtf8Strict(Uint8Array.from([0xff]))).toEqual({ ok: false, line: 1, column: 1 });
  });

  it.each([
    ['after a literal U+FFFD', [0xef, 0xbf, 0xbd, 0x61, 0xff], 5],
    ['a stray continuation byte', [0x61, 0x62, 0x80], 3],
    ['a sequence cut by an ASCII byte: at its lead byte', [0x61, 0xe2, 0x82, 0x61], 2],
    ['a sequence cut by a new lead byte', [0x61, 0xc3, 0xc3, 0xa9], 2],
    ['a complete sequence, then an invalid lead byte', [0xc3, 0xa9, 0xc0, 0x80], 3],
    ['a line ending inside a sequence', [0x61, 0x62, 0xf0, 0x9f], 3],
  ])('the column of the first bad byte: %s', (_name, bytes, column) => {
    expect(decodeUtf8Strict(Uint8Array.from([0x6b, 0x0a, ...bytes]))).toEqual({ ok: false, line: 2, column });
  });
});
