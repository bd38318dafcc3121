import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/commands/options.js';
import { parseRequestTimeout, toConnectionFlags } from '../../../src/sources/kube/connection-flags.js';
import { resolveKubeContext } from '../../../src/sources/kube/kubeconfig.js';
import { MeshdbgError } from '../../../src/util/errors.js';

function config(server: string, contexts: { name: string; namespace?: string }[], current: string): string {
  return [
    `clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: t}}]',
    `contexts: [${contexts.map((c) => `{name: ${c.name}, context: {cluster: c, user: u${c.namespace ? `, namespace: ${c.namespace}` : ''}}}`).join(', ')}]`,
    `current-context: ${current}`,
    '',
  ].join('\n');
}

function file(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'meshdbg-kc-')), 'config');
  writeFileSync(f, text);
  return f;
}

function fails(fn: () => unknown): MeshdbgError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeshdbgError) return err;
    throw err;
  }
  throw new Error('expected a MeshdbgError');
}

describe('resolveKubeContext', () => {
  it('refuses to fall back to localhost:8080 without a kubeconfig and suggests the demo', () => {
    const err = fails(() => resolveKubeContext({ kubeconfig: null, context: null, env: {}, homeDir: '/nonexistent' }));
    expect(err.exitCode).toBe(3);
    expect(err.userMessage).toMatch(/no kubeconfig found.*does not fall back to localhost:8080/);
    expect(err.hint).toMatch(/meshdbg demo/);
  });

  it('reads ~/.kube/config and the context namespace, default when unset', () => {
    const home = mkdtempSync(join(tmpdir(), 'meshdbg-home-'));
    const dir = join(home, '.kube');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config'), config('https://a:6443', [{ name: 'x' }], 'x'));
    const ctx = resolveKubeContext({ kubeconfig: null, context: null, env: {}, homeDir: home });
    expect(ctx).toMatchObject({ contextName: 'x', server: 'https://a:6443', namespace: 'default' });
  });

  it('merges every KUBECONFIG file, the first one winning, and honours --context', () => {
    const first = file(config('https://first:6443', [{ name: 'one', namespace: 'prod' }], 'one'));
    const second = file(config('https://second:6443', [{ name: 'two', namespace: 'dev' }], 'two'));
    const env = { KUBECONFIG: [first, second].join(delimiter) };
    expect(resolveKubeContext({ kubeconfig: null, context: null, env, homeDir: '/x' })).toMatchObject({
      contextName: 'one',
      namespace: 'prod',
    });
    expect(resolveKubeContext({ kubeconfig: null, context: 'two', env, homeDir: '/x' })).toMatchObject({
      contextName: 'two',
      namespace: 'dev',
    });
  });

  it('--kubeconfig wins over KUBECONFIG and a missing file is named', () => {
    const f = file(config('https://k:6443', [{ name: 'k' }], 'k'));
    expect(
      resolveKubeContext({ kubeconfig: f, context: null, env: { KUBECONFIG: '/nope' }, homeDir: '/x' }).server,
    ).toBe('https://k:6443');
    const err = fails(() => resolveKubeContext({ kubeconfig: '/nope/config', context: null, env: {}, homeDir: '/x' }));
    expect(err.userMessage).toContain('/nope/config');
  });

  it('names the known contexts when --context is unknown', () => {
    const f = file(config('https://k:6443', [{ name: 'a' }, { name: 'b' }], 'a'));
    const err = fails(() => resolveKubeContext({ kubeconfig: f, context: 'zz', env: {}, homeDir: '/x' }));
    expect(err.userMessage).toBe('context zz is not in the kubeconfig');
    expect(err.hint).toBe('use --context with one of: a, b');
  });
});

// The CLI's one argv parser (commands/options.ts) reads kubectl's spellings of the connection flags.
const flagsOf = (argv: string[]) => toConnectionFlags(parseCommandLine(argv).values);

describe('connection flags', () => {
  it('reads kubectl connection flags from the command line', () => {
    const flags = flagsOf([
      'explain',
      '-n',
      'a',
      '--namespace=b',
      '-nc',
      '--context',
      'ctx',
      '--kubeconfig=/k',
      '--request-timeout',
      '5s',
      'x',
    ]);
    expect(flags).toEqual({
      kubeconfig: '/k',
      context: 'ctx',
      namespaces: ['a', 'b', 'c'],
      allNamespaces: false,
      requestTimeoutMs: 5000,
    });
  });

  it('defaults the request timeout to 10 s and rejects -A with -n', () => {
    expect(flagsOf(['-A'])).toMatchObject({ allNamespaces: true, requestTimeoutMs: 10_000 });
    expect(() => flagsOf(['-A', '-n', 'x'])).toThrow(/-A and -n/);
    expect(() => flagsOf(['--context'])).toThrow(/--context/);
  });

  it('reads request timeouts as kubectl does', () => {
    expect(parseRequestTimeout('0')).toBe(0);
    expect(parseRequestTimeout('3')).toBe(3000);
    expect(parseRequestTimeout('1m30s')).toBe(90_000);
    expect(parseRequestTimeout('250ms')).toBe(250);
    expect(() => parseRequestTimeout('soon')).toThrow(/not a duration/);
  });

  it('builds the same flags from parseArgs values', () => {
    expect(toConnectionFlags({ namespace: ['a,b', 'c'], context: 'x', 'request-timeout': '2s' })).toEqual({
      kubeconfig: null,
      context: 'x',
      namespaces: ['a', 'b', 'c'],
      allNamespaces: false,
      requestTimeoutMs: 2000,
    });
    expect(() => toConnectionFlags({ namespace: ['a'], 'all-namespaces': true })).toThrow(/-A and -n/);
  });
});
