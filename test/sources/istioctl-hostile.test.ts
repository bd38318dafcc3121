/**
 * An istioctl on PATH that misbehaves (test/bin/istioctl modes "flood" and "hostile"): output
 * without end is stopped at the exec cap with a message that says so, and what istioctl printed is
 * quoted in messages only in part (a 10 MB line is not repeated).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIstioctlProxyControl } from '../../src/sources/istioctl.js';
import { ExecError, MAX_OUTPUT_BYTES, runCommand } from '../../src/sources/exec.js';
import { MeshdbgError } from '../../src/util/errors.js';

const standin = fileURLToPath(new URL('../bin/istioctl', import.meta.url));
const pod = { namespace: 'default', name: 'httpbin-74fb669cc6-lpscm' };

function env(mode: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-istioctl-'));
  return { ...process.env, ISTIOCTL_STANDIN_MODE: mode, ISTIOCTL_STANDIN_LOG: join(dir, 'log') } as Record<
    string,
    string
  >;
}

const control = (mode: string) =>
  createIstioctlProxyControl({ binary: standin, kubeconfig: null, context: null, timeoutMs: 20_000, env: env(mode) });

describe('a hostile istioctl', () => {
  it('output without end is stopped at the 16 MiB cap, long before the timeout, and said so (not "exited with 1")', async () => {
    const from = Date.now();
    const err = (await control('flood')
      .authzCheck(pod)
      .catch((e: unknown) => e)) as MeshdbgError;
    expect(MAX_OUTPUT_BYTES).toBe(16 * 1024 * 1024);
    expect(err).toBeInstanceOf(MeshdbgError);
    expect(err.code).toBe('istioctl-output');
    expect(err.userMessage).toMatch(
      /istioctl x authz check httpbin-74fb669cc6-lpscm\.default printed more than 16 MiB and was stopped: that is not the output of istioctl x authz check$/,
    );
    expect(err.hint).toMatch(/command -v istioctl/);
    expect(Date.now() - from).toBeLessThan(10_000);
  });

  it('runCommand honours a smaller cap and names it', async () => {
    const err = (await runCommand(standin, ['x', 'authz', 'check', 'p.ns'], {
      timeoutMs: 20_000,
      maxOutputBytes: 1024 * 1024,
      env: env('flood'),
    }).catch((e: unknown) => e)) as ExecError;
    expect([err.reason, err.message]).toEqual([
      'too-much-output',
      expect.stringMatching(/printed more than 1 MiB and was stopped$/) as unknown,
    ]);
  });

  it('a 10 MB stderr line is quoted in part, saying how long it was (ExecError and the user message)', async () => {
    const exec = (await runCommand(standin, ['proxy-config', 'log', 'p.ns'], {
      timeoutMs: 20_000,
      env: env('hostile'),
    }).catch((e: unknown) => e)) as ExecError;
    expect(exec.stderr.length).toBeGreaterThan(100_000); // all of what arrived is kept
    expect(exec.message.length).toBeLessThan(400);
    expect(exec.message).toMatch(/exited with 1: Error: .*\.\.\. \(\d{6,} characters, cut\)$/);
    const err = (await control('hostile')
      .getLogLevels(pod)
      .catch((e: unknown) => e)) as MeshdbgError;
    expect(err.code).toBe('istioctl-failed');
    expect(err.userMessage.length).toBeLessThan(600);
  });

  it('a 10 MB line before the table is one short issue; the table is still read', async () => {
    const table = await control('hostile').authzCheck(pod);
    expect(table.rows.map((r) => r.policy)).toContain('httpbin.default');
    expect(table.issues.length).toBeGreaterThan(0);
    for (const i of table.issues) expect(i.message.length).toBeLessThan(400);
    expect(table.issues[0]?.message).toMatch(
      /^unexpected text before the table header: .*\.\.\. \(\d{7,} characters, cut\)$/,
    );
  });
});
