/**
 * `authz-check --file` on a dump as people save it: with a UTF-8 BOM (editors) or as UTF-16LE
 * (Windows PowerShell 5 `istioctl ... > dump.json`), it gives the same table as the plain file
 * (both were refused as "not valid JSON"); a cut or truncated dump is bad input naming its line
 * and column (V8 named an offset, "at position 5000") and how to save it again.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAuthzCheck } from '../../src/commands/authz-check.js';
import { runInProcess } from '../helpers/run-in-process.js';

const DUMP = readFileSync('test/fixtures/istioctl/configdump.json', 'utf8');
const TABLE = readFileSync('test/fixtures/istioctl/authz-check-expected.txt', 'utf8');

function saved(name: string, bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-dump-')), name);
  writeFileSync(file, bytes);
  return file;
}

describe('authz-check --file: how a dump was saved', () => {
  it.each([
    ['a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DUMP)])],
    ['UTF-16LE with a BOM (PowerShell 5)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DUMP, 'utf16le')])],
    ['UTF-16LE without a BOM', Buffer.from(DUMP, 'utf16le')],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(DUMP, 'utf16le').swap16()])],
  ])('%s: the table istioctl prints', async (_, bytes) => {
    const r = await runInProcess(() => runAuthzCheck(['--file', saved('dump.json', bytes)]));
    expect(r.code).toBe(0);
    expect(r.output).toBe(TABLE);
  });

  it('a truncated dump: exit 2 at the line and column where it ends, and how to save it again', async () => {
    const cut = DUMP.slice(0, 5000);
    const file = saved('cut.json', Buffer.from(cut));
    const r = await runInProcess(() => runAuthzCheck(['--file', file]));
    const lines = cut.split('\n');
    expect(r.code).toBe(2);
    expect(r.output).toContain(
      `${file}:${lines.length}:${(lines.at(-1) ?? '').length + 1}: config_dump is not valid JSON`,
    );
    expect(r.output).toContain('istioctl proxy-config all POD -o json > dump.json');
    expect(r.output).not.toContain('position');
  });

  it('a stray comma: the place of the token after it', async () => {
    const file = saved('comma.json', Buffer.from('{\n  "configs": [1,]\n}\n'));
    const r = await runInProcess(() => runAuthzCheck(['--file', file]));
    expect(r.code).toBe(2);
    expect(r.output).toContain(`${file}:2:17: config_dump is not valid JSON: unexpected ']' where a value should be`);
  });
});
