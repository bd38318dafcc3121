/**
 * Issue 11: text from manifests, logs, check files and argv must never drive the terminal. Each
 * command gets hostile input (OSC 52 clipboard write, ESC[2J, OSC 0 title, C1 CSI/OSC bytes) and
 * neither stdout nor stderr may carry an ESC byte or a C1 code point.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, runCli } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const OSC52 = '\u001b]52;c;aGVsbG8=\u0007';
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const C1 = '\u009b2J\u009d0;t\u009c';
const HOSTILE = `${OSC52}${CLEAR}${TITLE}${C1}`;
const TERMINAL_BYTES = /[\u001b\u0080-\u009f]/;

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-hostile-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const manifest = write(
  'hostile.yaml',
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: "bad${HOSTILE}", namespace: shop}
spec:
  action: ALLOW
  rules: [{to: [{operation: {paths: ["/x${HOSTILE}"]}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "np${HOSTILE}", namespace: shop}
spec:
  podSelector: {matchLabels: {app: "v${HOSTILE}"}}
`,
);
const seed = fixture('../seed-001-frontend-backend.yaml');
const logLine = `[2022-05-10T21:51:49.396Z] "HEAD /${HOSTILE} HTTP/2" 403 - rbac_access_denied_matched_policy[ns[shop]-policy[p${HOSTILE}]-rule[0]] - "-" 0 0 0 - "10.100.0.6" "curl${HOSTILE}" "a503ba03" "host${HOSTILE}" "-" outbound|443||x - 10.100.2.6:8080 10.100.0.6:58370 x -\n`;
const logs = write('hostile.log', `${logLine}${HOSTILE} not a log line\n`);
const checkFile = write(
  'check.yaml',
  `- id: "c${HOSTILE}"\n  src: "a/b${HOSTILE}"\n  dst: c/d:80\n  expect: {verdict: allowed}\n`,
);

function expectInert(args: string[]): void {
  const r = runCli(args);
  expect(r.stdout + r.stderr).not.toBe('');
  expect(TERMINAL_BYTES.test(r.stdout), `stdout of ${args[0]}`).toBe(false);
  expect(TERMINAL_BYTES.test(r.stderr), `stderr of ${args[0]}`).toBe(false);
  expect(r.code).not.toBe(70);
}

describe('no escape sequence reaches the terminal', () => {
  it.each([
    ['lint (text)', ['lint', '--from', manifest]],
    ['lint -o json', ['lint', '--from', manifest, '-o', 'json']],
    ['explain (unknown source echoed on stderr)', ['explain', '--from', seed, `a/b${HOSTILE}`, 'c/d:80']],
    ['explain (manifest refused)', ['explain', '--from', manifest, 'shop/a', 'shop/b:80']],
    ['explain -o json', ['explain', '--from', seed, `a/b${HOSTILE}`, 'c/d:80', '-o', 'json']],
    ['check', ['check', '--from', seed, checkFile]],
    ['denials (text)', ['denials', '--logs', logs]],
    ['denials -o json', ['denials', '--logs', logs, '-o', 'json']],
    ['an unknown flag on stderr', ['lint', `--from${HOSTILE}`]],
    ['an unknown command', [`x${HOSTILE}`]],
    ['snapshot (no cluster: the error on stderr)', ['snapshot', '--context', `c${HOSTILE}`]],
  ])('%s', (_name, args) => {
    expectInert(args);
  });
});
