/**
 * A check file is YAML, which must be Unicode (https://yaml.org/spec/1.2.2/#51-character-set):
 * bytes that are not UTF-8 are refused with their line and column, as in manifests
 * (test/sources/manifests/invalid-utf8.test.ts), instead of being read as U+FFFD.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExpectations } from '../../../src/sources/expectations-file.js';

function checkFile(bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-check-utf8-')), 'expect.yaml');
  writeFileSync(file, bytes);
  return file;
}

const HEAD = '- name: frontend reads orders\n  from: poc-mesh/frontend\n';

describe('check files that are not UTF-8', () => {
  it('a Latin-1 byte is refused at its line and byte column, with the fix', async () => {
    // "to: poc-mesh/b\xe4ckend" (Latin-1 a-umlaut) on line 3: the bad byte is the 17th of the line
    const file = checkFile(
      Buffer.concat([Buffer.from(`${HEAD}  to: poc-mesh/b`), Buffer.from([0xe4]), Buffer.from('ckend\n')]),
    );
    await expect(readExpectations(file)).rejects.toMatchObject({
      code: 'yaml-syntax',
      message: expect.stringMatching(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:17: not UTF-8; .*iconv`),
      ),
    });
  });

  it('the same text in UTF-8 is read, with the name as written', async () => {
    const file = checkFile(Buffer.from(`${HEAD}  to: poc-mesh/bäckend\n  expect: {verdict: allowed}\n`, 'utf8'));
    const [entry] = await readExpectations(file);
    expect(entry).toMatchObject({ to: 'poc-mesh/bäckend' });
  });
});
