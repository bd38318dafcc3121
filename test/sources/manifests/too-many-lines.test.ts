/**
 * Reading YAML costs memory per line whatever the line holds: our own line table, and js-yaml's
 * error snippet, which lists the start of every line of the whole text. 100 million blank lines
 * took 4 GB and 28 s to refuse, so the 512 Mi input cap let a file of blank lines run the CLI out
 * of memory. Past MAX_YAML_LINES a YAML text is refused before either is built.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import yaml from 'js-yaml';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { readExpectations } from '../../../src/sources/expectations-file.js';
import { hasMoreLinesThan, MAX_YAML_LINES } from '../../../src/util/text-lines.js';
import { findExcessiveNesting } from '../../../src/util/nesting-depth.js';
import { runCli } from '../../commands/cli-harness.js';

describe('hasMoreLinesThan', () => {
  it.each([
    ['', 1, false],
    ['a', 1, false],
    ['a\n', 1, true], // two lines: `a` and the empty one after the break
    ['a\nb\nc', 3, false],
    ['a\nb\nc\n', 3, true],
  ])('%j past %i lines: %s', (text, max, more) => {
    expect(hasMoreLinesThan(text, max)).toBe(more);
  });
});

describe('a YAML text of more than MAX_YAML_LINES lines', () => {
  const blanks = `${'\n'.repeat(MAX_YAML_LINES)}a: [\n`;

  it('is one yaml-syntax error, refused before js-yaml reads it', () => {
    const load = vi.spyOn(yaml, 'loadAll');
    const { objects, findings } = parseManifestText('blank.yaml', blanks);
    expect(load).not.toHaveBeenCalled();
    load.mockRestore();
    expect(objects).toEqual([]);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['yaml-syntax', 'error']]);
    expect(findings[0]?.message).toMatch(
      /^blank\.yaml: has more than 25,000,000 lines, mostly empty .*remove the blank lines/,
    );
  });

  it('a text at the cap is read as before', () => {
    const { findings } = parseManifestText('ok.yaml', `${'\n'.repeat(MAX_YAML_LINES - 2)}a: [\n`);
    expect(findings[0]?.message).not.toContain('has more than');
  });

  it('in a check file, and on the command line (exit 2, naming the file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-blank-lines-'));
    const file = join(dir, 'blank.yaml');
    writeFileSync(file, blanks);
    await expect(readExpectations(file)).rejects.toThrow(/blank\.yaml has more than 25,000,000 lines/);
    const r = runCli(['lint', '--from', file]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain(`${file}: has more than 25,000,000 lines`);
  });
});

/**
 * The nesting scan runs before any parser on every manifest and check file. It split the whole text
 * into an array of lines: past about 134 million lines (300 MB of blank lines under --from) V8
 * aborted the process ("invalid size error"), so no cap after it could answer.
 */
describe('the nesting scan on a long text', () => {
  it('reads it line by line, with the same answers, and never splits the whole text', () => {
    const deep = `${'\n'.repeat(1000)}a: ${'['.repeat(600)}\n`;
    const split = vi.spyOn(String.prototype, 'split');
    const found = findExcessiveNesting(deep);
    const calls = split.mock.calls.length;
    split.mockRestore();
    expect(found).toMatchObject({ line: 1001 });
    expect(calls).toBe(0);
    expect(findExcessiveNesting(`${'\n'.repeat(1000)}a: [1]\n`)).toBeNull();
  });
});
