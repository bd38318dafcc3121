/**
 * `meshdbg authz-check POD` with a hostile istioctl first on PATH (test/bin/istioctl mode
 * "hostile": terminal escapes and a 10 MB line before the table; mode "flood": output without
 * end): no ESC, C1 or BEL reaches the terminal, nothing hangs, the answer is short and says why.
 */
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, unreachableKubeconfig } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const { kubeconfig, dir } = unreachableKubeconfig('meshdbg-authz-hostile-');
const env = (mode: string): Record<string, string> => ({
  PATH: `${join(ROOT, 'test/bin')}${delimiter}${process.env['PATH'] ?? ''}`,
  ISTIOCTL_STANDIN_MODE: mode,
  ISTIOCTL_STANDIN_LOG: join(dir, 'istioctl.log'),
});
const TERMINAL_CONTROL = /[\u001b\u0007\u0080-\u009f]/;

describe('meshdbg authz-check POD with a hostile istioctl', () => {
  it('escapes and a 10 MB line: the table is printed, the junk is one short stderr line, no control byte passes', () => {
    const r = runCli(['authz-check', 'httpbin-x.default', '--kubeconfig', kubeconfig], { env: env('hostile') });
    expect(r.stdout).toMatch(/^ACTION +AuthorizationPolicy +RULES\n/);
    expect(r.stdout).toContain('httpbin.default');
    expect(r.stdout + r.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).toMatch(/unexpected text before the table header: .*characters, cut\)/);
  });

  it('output without end: exit 3 at the output cap, saying it is not istioctl output', () => {
    const from = Date.now();
    const r = runCli(['authz-check', 'httpbin-x.default', '--kubeconfig', kubeconfig], { env: env('flood') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /printed more than 16 MiB and was stopped: that is not the output of istioctl x authz check/,
    );
    expect(r.stderr).toMatch(/command -v istioctl/);
    expect(Date.now() - from).toBeLessThan(10_000);
  });
});
