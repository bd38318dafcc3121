/**
 * A NUL byte is refused at its own line and column. js-yaml checks for one before reading any
 * line, so its mark said line 1 and the NUL's offset in the whole file as the column
 * ("f.yaml:1:51" for a NUL on line 3), in manifests and in check files alike.
 *
 * js-yaml's refusal itself builds an error snippet that splits the whole text at every NUL: a
 * 50 MB file of NULs (a disk image or core dump under --from) took 1.8 GB and 7 s, 300 MB crashed
 * the CLI out of memory. A NUL is now refused before js-yaml sees the text.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import yaml from 'js-yaml';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { readExpectations } from '../../../src/sources/expectations-file.js';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ab\0c}\n';

describe('a NUL byte in YAML', () => {
  it.each([
    ['LF', NS, '3:20'],
    ['CRLF', NS.replace(/\n/g, '\r\n'), '3:20'],
    ['lone CR (js-yaml counts it as a line break)', NS.replace(/\n/g, '\r'), '3:20'],
    ['the first byte', '\0apiVersion: v1\n', '1:1'],
  ])('%s: a yaml-syntax error at its line and column, with the fix', (_, text, place) => {
    const { objects, findings } = parseManifestText('f.yaml', text);
    expect(objects).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.code).toBe('yaml-syntax');
    expect(findings[0]?.message).toContain(`f.yaml:${place}: a NUL byte is not allowed in YAML`);
    expect(findings[0]?.message).toContain('remove it');
    expect(findings[0]?.loc?.line).toBe(Number(place.split(':')[0]));
  });

  it('other syntax errors keep the place js-yaml gives', () => {
    const { findings } = parseManifestText('f.yaml', 'a: 1\nb: [\n');
    expect(findings[0]?.message).toMatch(/^f\.yaml:3:1: /);
  });

  it("in a check file: the same place, and no second (wrong) place from js-yaml's message", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-nul-')), 'expect.yaml');
    writeFileSync(file, '- {src: a,\n   dst: b\0}\n');
    await expect(readExpectations(file)).rejects.toThrow(
      `${file}:2:10: a NUL byte is not allowed in YAML (kubectl refuses it too: "control characters are not allowed"); remove it, this may not be a text file`,
    );
  });

  it('a text of NULs only never reaches js-yaml (its refusal costs memory per NUL)', () => {
    const load = vi.spyOn(yaml, 'loadAll');
    try {
      const { findings } = parseManifestText('zero.yaml', '\0'.repeat(1_000_000));
      expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('zero.yaml:1:1: a NUL byte')]);
      expect(load).not.toHaveBeenCalled();
    } finally {
      load.mockRestore();
    }
  });

  it('in a check file: refused before js-yaml too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-nul-')), 'expect.yaml');
    writeFileSync(file, '\0'.repeat(1_000_000));
    const load = vi.spyOn(yaml, 'load');
    try {
      await expect(readExpectations(file)).rejects.toThrow(`${file}:1:1: a NUL byte is not allowed in YAML`);
      expect(load).not.toHaveBeenCalled();
    } finally {
      load.mockRestore();
    }
  });
});
