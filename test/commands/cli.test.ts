import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';
import { OPTION_SPEC } from '../../src/commands/options.js';

const WORLD = fixture('world.yaml');

beforeAll(() => {
  ensureBuilt();
}, 120_000);

describe('exit codes of explain', () => {
  it('0 when the flow is allowed', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ALLOWED/);
    expect(r.stderr).toBe('');
  });

  it('1 when the flow is denied, naming the policy', () => {
    const r = runCli(['explain', 'tools/debug', 'shop/backend', '--from', WORLD]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DENIED/);
    expect(r.stdout).toContain('NetworkPolicy:shop/backend-from-frontend:ingress');
  });

  it('2 for an unknown peer, with the candidates on stderr', () => {
    const r = runCli(['explain', 'tools/debg', 'shop/backend', '--from', WORLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tools/debg');
    expect(r.stderr).toContain('tools/debug');
    expect(r.stdout).toBe('');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('2 for an invalid manifest, naming file, line and problem', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', fixture('invalid.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /invalid\.yaml:8: NetworkPolicy shop\/bad-cidr: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr/,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('2 for a YAML syntax error, with line and column', () => {
    const r = runCli(['explain', 'a/b', 'c/d', '--from', fixture('syntax-error.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/syntax-error\.yaml:5:\d+/);
  });

  it('2 for a --from path that does not exist', () => {
    const r = runCli(['explain', 'a/b', 'c/d', '--from', fixture('nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('2 for a bad flag, with a hint', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it.each([
    ['a non-numeric --port', ['--port', 'abc'], 'abc'],
    ['a --port above 65535', ['--port', '70000'], '70000'],
    ['an unknown -o format', ['-o', 'xml'], 'xml'],
    ['an unknown --protocol', ['--protocol', 'icmp'], 'icmp'],
    ['-n without its value', ['-n'], '--namespace'],
  ])('2 for %s, in one line naming it', (_name, extra, named) => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(named);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it.each([
    ['one peer only', ['explain', 'shop/frontend', '--from', WORLD]],
    ['three peers', ['explain', 'a/b', 'c/d', 'e/f', '--from', WORLD]],
    ['an unknown command', ['frobnicate']],
    ['a directory without manifests', ['explain', 'a/b', 'c/d', '--from', fixture('../no-manifests')]],
  ])('2 for %s', (_name, args) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^meshdbg: /);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it.each([
    ['-n twice', ['-n', 'shop', '-n', 'tools']],
    ['--port twice', ['--port', '80', '--port', '81']],
    ['-o twice', ['-o', 'json', '-o', 'yaml']],
  ])('2 for a single-valued flag given twice (%s), not silently the last', (_name, extra) => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/unknown source/);
    expect(r.stdout).toBe('');
  });

  it('2 for a bad --cni value', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, '--cni', 'weave']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('weave');
  });

  it('4 when a Calico NetworkPolicy rule with an http match may decide', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, '--from', fixture('calico.yaml')]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^CONDITIONAL/);
    expect(r.stdout).toContain('calico-http-match');
    expect(r.stdout).toContain('calico-extra');
  });

  it('1 for an ambient namespace whose NetworkPolicy admits the app port but not HBONE 15008', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', fixture('../cli-ambient.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DENIED/);
    expect(r.stdout).toContain('[ambient]');
    expect(r.stdout).toContain('TCP 15008');
  });

  it('70 for an internal error, one line, no stack trace, not 1', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD], {
      env: { MESHDBG_TEST_CRASH: '1' },
    });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^meshdbg: internal error: /);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('--help', () => {
  const help = runCliLazy(['--help']);

  it('exits 0 and lists every command', () => {
    const r = help();
    expect(r.code).toBe(0);
    for (const command of ['explain', '--explain', '--batch', 'check', 'lint', 'denials', 'snapshot', 'demo'])
      expect(r.stdout).toContain(command);
  });

  it('lists every explain flag of the DESIGN contract', () => {
    const flags = [
      '--from',
      '--port',
      '--protocol',
      '--method',
      '--path',
      '--host',
      '--header',
      '--jwt',
      '--jwt-claims',
      '--now',
      '--mtls',
      '--no-mtls',
      '--ext-authz',
      '--resolve',
      '--cni',
      '-n',
      '-o',
      '--context',
      '--junit',
      '--verbose',
      '--failure-threshold',
    ];
    for (const flag of flags) expect(help().stdout).toContain(flag);
  });

  it('lists every option the parser accepts, in long form', () => {
    const missing = Object.keys(OPTION_SPEC).filter((name) => !help().stdout.includes(`--${name}`));
    expect(missing).toEqual([]);
  });

  it('lists the exit codes', () => {
    for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '70 ']) expect(help().stdout).toContain(code);
  });
});

/** Runs once, on first use (after beforeAll built the CLI). */
function runCliLazy(args: string[]): () => ReturnType<typeof runCli> {
  let result: ReturnType<typeof runCli> | null = null;
  return () => (result ??= runCli(args));
}

describe('input forms', () => {
  it('- reads the manifests from stdin', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', '-'], {
      input: readFileSync(WORLD, 'utf8'),
    });
    expect(r.code).toBe(0);
  });

  it('a directory is read recursively (the policy two levels down denies)', () => {
    expect(runCli(['explain', 'shop/frontend', 'shop/backend', '--from', fixture('../cli-tree')]).code).toBe(0);
    expect(runCli(['explain', 'tools/debug', 'shop/backend', '--from', fixture('../cli-tree')]).code).toBe(1);
  });

  it('the --explain form works like explain', () => {
    const r = runCli(['--explain', 'tools/debug', 'shop/backend', '--from', WORLD]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DENIED/);
  });
});
