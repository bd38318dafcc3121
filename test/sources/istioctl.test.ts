import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIstioctlProxyControl, detectIstioctl, istioctlOnPath } from '../../src/sources/istioctl.js';
import { ExecError, runCommand } from '../../src/sources/exec.js';
import { formatAuthzCheckTable } from '../../src/parsers/istioctl-authz-check.js';
import { MeshdbgError } from '../../src/util/errors.js';

const standin = fileURLToPath(new URL('../bin/istioctl', import.meta.url));
const expected = readFileSync(new URL('../fixtures/istioctl/authz-check-expected.txt', import.meta.url), 'utf8');
const pod = { namespace: 'default', name: 'httpbin-74fb669cc6-lpscm' };

function env(mode = 'ok'): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-istioctl-'));
  return {
    ...process.env,
    ISTIOCTL_STANDIN_MODE: mode,
    ISTIOCTL_STANDIN_LOG: join(dir, 'log'),
    ISTIOCTL_STANDIN_STATE: join(dir, 'state.json'),
  } as Record<string, string>;
}

function invocations(e: Record<string, string>): string[][] {
  return readFileSync(e['ISTIOCTL_STANDIN_LOG'] ?? '', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
}

function control(e: Record<string, string>, timeoutMs = 10_000) {
  return createIstioctlProxyControl({ binary: standin, kubeconfig: '/tmp/kc', context: 'prod', timeoutMs, env: e });
}

describe('detectIstioctl', () => {
  it('reads the client version', async () => {
    expect(await detectIstioctl({ binary: standin, timeoutMs: 10_000 })).toEqual({
      available: true,
      binary: standin,
      version: '1.22.3',
    });
  });

  it('does not start a binary that is not on PATH', async () => {
    const found = await detectIstioctl({ binary: 'istioctl', timeoutMs: 5000, env: { PATH: '' } });
    expect(found).toEqual({ available: false, reason: 'istioctl was not found on PATH' });
  });

  it('reports a missing binary as unavailable, so the native path is used', async () => {
    const found = await detectIstioctl({ binary: 'istioctl-does-not-exist-here', timeoutMs: 5000 });
    expect(found).toEqual({ available: false, reason: 'istioctl-does-not-exist-here was not found on PATH' });
  });
});

describe('istioctlOnPath', () => {
  it('finds an executable istioctl on PATH and nothing on an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-path-'));
    writeFileSync(join(dir, 'istioctl'), '#!/bin/sh\n');
    chmodSync(join(dir, 'istioctl'), 0o755);
    expect(istioctlOnPath(dir)).toBe(true);
    expect(istioctlOnPath('')).toBe(false);
  });

  it('checks a name with a slash as a path, and a file without the execute bit as absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-path-'));
    writeFileSync(join(dir, 'istioctl'), '#!/bin/sh\n');
    chmodSync(join(dir, 'istioctl'), 0o644);
    expect(istioctlOnPath(dir)).toBe(false);
    expect(istioctlOnPath('', standin)).toBe(true);
  });
});

describe('istioctl proxy control', () => {
  it('runs x authz check POD.NS with the kubeconfig and context and parses the table', async () => {
    const e = env();
    const table = await control(e).authzCheck(pod);
    expect(table.issues).toEqual([]);
    expect(formatAuthzCheckTable(table.rows)).toBe(expected);
    expect(invocations(e)).toEqual([
      ['x', 'authz', 'check', 'httpbin-74fb669cc6-lpscm.default', '--kubeconfig', '/tmp/kc', '--context', 'prod'],
    ]);
  });

  it('reads and sets log levels with proxy-config log --level', async () => {
    const e = env();
    const c = control(e);
    expect((await c.getLogLevels(pod))['rbac']).toBe('warning');
    const after = await c.setLogLevels(pod, { rbac: 'debug', jwt: 'debug' });
    expect(after).toMatchObject({ rbac: 'debug', jwt: 'debug', http: 'warning' });
    expect(invocations(e)[1]?.slice(0, 5)).toEqual([
      'proxy-config',
      'log',
      'httpbin-74fb669cc6-lpscm.default',
      '--level',
      'rbac:debug,jwt:debug',
    ]);
  });

  it('turns istioctl stderr into one actionable line', async () => {
    const err = (await control(env('fail'))
      .authzCheck(pod)
      .catch((e: unknown) => e)) as MeshdbgError;
    expect(err).toBeInstanceOf(MeshdbgError);
    expect(err.userMessage).toBe(
      'istioctl x authz check for httpbin-74fb669cc6-lpscm.default failed: failed to get config dump from httpbin-74fb669cc6-lpscm.default: pods "httpbin-74fb669cc6-lpscm" not found in namespace default',
    );
    expect(err.hint).toMatch(/pod name and namespace/);
  });

  it('gives up on a hanging istioctl at the timeout', async () => {
    const err = (await control(env('hang'), 300)
      .getLogLevels(pod)
      .catch((e: unknown) => e)) as MeshdbgError;
    expect(err.code).toBe('istioctl-timeout');
    expect(err.hint).toMatch(/--request-timeout/);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const pending = control(env('hang'))
      .authzCheck(pod, ac.signal)
      .catch((e: unknown) => e);
    ac.abort();
    expect(((await pending) as MeshdbgError).code).toBe('cancelled');
  });
});

describe('runCommand', () => {
  it('throws ExecError with the command, args, exit code and stderr', async () => {
    const err = (await runCommand(standin, ['nonsense'], { timeoutMs: 10_000 }).catch((e: unknown) => e)) as ExecError;
    expect(err).toBeInstanceOf(ExecError);
    expect(err).toMatchObject({ cmd: standin, args: ['nonsense'], exitCode: 1, reason: 'exit-code' });
    expect(err.stderr).toMatch(/unknown command/);
  });
});
