/**
 * kubectl reads a file or stdin through unicode.BOMOverride(unicode.UTF8.NewDecoder())
 * (kubernetes/cli-runtime pkg/resource/visitor.go, FileVisitor.Visit): a manifest saved as UTF-16
 * with a byte order mark (Windows PowerShell 5 `kubectl get ... -o yaml > f.yaml`) is read. It was
 * refused here as "not UTF-8 (kubectl refuses it too)". Without a BOM, bytes must be UTF-8 still.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { readExpectations } from '../../../src/sources/expectations-file.js';
import { decodeTextStrict } from '../../../src/util/utf8.js';
import { ensureBuilt, ROOT } from '../../commands/cli-harness.js';
import { spawnSync } from 'node:child_process';

const APPS = readFileSync('examples/poc-mesh/manifests/10-apps.yaml', 'utf8');
const le = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const be = (s: string): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);

function saved(bytes: Buffer, name = 'apps.yaml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-utf16-')), name);
  writeFileSync(file, bytes);
  return file;
}

describe('UTF-16 manifests with a byte order mark', () => {
  it.each([
    ['UTF-16LE', le],
    ['UTF-16BE', be],
  ])('%s: the same objects as the UTF-8 file, no finding', async (_, encode) => {
    const plain = await loadManifests([saved(Buffer.from(APPS))]);
    const wide = await loadManifests([saved(encode(APPS))]);
    expect(wide.findings).toEqual([]);
    expect(wide.objects.map((o) => o.object)).toEqual(plain.objects.map((o) => o.object));
    expect(wide.objects.map((o) => o.loc?.line)).toEqual(plain.objects.map((o) => o.loc?.line));
  });

  it('stdin too (meshdbg lint --from - < f.yaml)', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'lint', '--from', '-'], {
      input: le(APPS),
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('meshdbg lint: 3 pods');
  }, 120_000);

  it('a check file too', async () => {
    const items = await readExpectations(saved(le('- {src: a/b, dst: c/d, port: 80, expect: {verdict: allowed}}\n')));
    expect(items).toEqual([{ src: 'a/b', dst: 'c/d', port: 80, expect: { verdict: 'allowed' } }]);
  });

  it('UTF-16 cut in half a code unit, or UTF-16 without a BOM, is still refused', async () => {
    expect(decodeTextStrict(Buffer.from([0xff, 0xfe, 0x61]))).toEqual({ ok: false, line: 1, column: 1, utf16: true });
    // named for what it is: not the Latin-1 advice of a file that is not UTF-8
    const cut = await loadManifests([saved(le(APPS).subarray(0, 101))]);
    expect(cut.findings[0]?.message).toContain('begins with a UTF-16 byte order mark but is no UTF-16 text');
    expect(cut.findings[0]?.message).not.toContain('latin1');
    await expect(readExpectations(saved(Buffer.from([0xfe, 0xff, 0x00]), 'expect.yaml'))).rejects.toThrow(
      /begins with a UTF-16 byte order mark/,
    );
    const noBom = await loadManifests([saved(Buffer.from(APPS, 'utf16le'))]);
    expect(noBom.objects).toEqual([]);
    expect(noBom.findings[0]?.code).toBe('yaml-syntax');
  });
});
