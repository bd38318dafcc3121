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

describe('explain: a malformed question is refused before anything is read', () => {
  // --from names no file: had the manifests been read first, the error would be about them
  it.each([
    [['a/b', 'c/d', '-p', '99999'], '--port: port "99999" must be a number between 1 and 65535'],
    [['a/b'], 'explain needs SRC and DST, got 1 argument'],
    [['a/b', 'c/d', '-p', '80', '-o', 'xml'], '-o xml: output must be one of text, json, yaml'],
    [['--batch', 'q.jsonl', '-o', 'text'], '--batch writes JSON lines; -o text is not available with it'],
    [['a/b', 'c/d', '--batch', 'q.jsonl'], '--batch reads SRC/DST from its lines'],
    [['a/b', 'c/d', '-p', '80', '--path', 'api'], '--path "api" must start with /'],
    [['a/b', 'c/d', '-p', '80', '--now', 'yesterday'], '--now "yesterday" is not an RFC 3339 time'],
  ])('%j', (args, message) => {
    const r = runCli(['explain', ...args, '--from', '/nonexistent/manifests']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('/nonexistent/manifests');
  });
});
