/**
 * `--jwt @FILE`, `--jwt -` and `--jwt TOKEN` with no token in them are bad input naming the flag,
 * not a query asked without a token (which would answer another question than the one asked).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(() => ensureBuilt());

const ASK = ['explain', '--from', 'examples/poc-mesh', 'poc-mesh/frontend', 'poc-mesh/backend', '--port', '8080'];

describe('explain --jwt with no token', () => {
  const empty = join(mkdtempSync(join(tmpdir(), 'meshdbg-jwt-')), 'token.txt');
  writeFileSync(empty, '\n  \n');

  it.each([
    ['an empty file', [`@${empty}`], ''],
    ['an empty stdin', ['-'], ''],
    ['blank text', ['  '], ''],
  ])('%s: exit 2, the flag named, and how to give one', (_, flag, input) => {
    const r = runCli([...ASK, '--jwt', ...flag], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--jwt ${flag[0]}: no token in it`);
    expect(r.stderr).toContain('--jwt-claims');
    expect(r.stdout).toBe('');
  });

  it('a file that is not there is unreadable-path naming it', () => {
    const r = runCli([...ASK, '--jwt', '@/nonexistent/token']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/token');
  });
});

describe('explain: one stdin for one reader', () => {
  it.each([
    [['--from', '-', '--jwt', '-'], '--from - and --jwt - cannot both read stdin'],
    [['--batch', '-', '--jwt', '-'], '--batch - and --jwt - cannot both read stdin'],
    [['--batch', '-', '--from', '-'], '--batch - and --from - cannot both read stdin'],
    [['--batch', '-', '--from', '-', '--jwt', '-'], '--batch - and --from - and --jwt - cannot all read stdin'],
  ])('%j: exit 2 before reading anything', (flags, message) => {
    const positional = flags.includes('--batch') ? [] : ['a/b', 'c/d', '-p', '80'];
    const r = runCli(['explain', ...positional, ...flags], { input: 'eyJ.x.y\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('--jwt @FILE');
  });
});
