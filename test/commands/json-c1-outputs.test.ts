/**
 * Issue 17: "JSON output escapes U+0080-U+009F" on every output, and no raw ESC or C1 control
 * on any output. Text a valid manifest may carry (an AuthorizationPolicy path, a request path,
 * a live object's label) goes through every -o json path (explain, explain --batch, map, diff,
 * lint) and the other formats (map text/csv/md/dot, explain yaml, snapshot YAML): each output is
 * free of ESC and C1, the JSON parses, and the hostile text is there, escaped (so the test sees
 * it pass through rather than dropped).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../helpers/kube-api-server.js';
import { ensureBuilt, runCli, runCliAsync } from './cli-harness.js';

const HOSTILE = '\u009b31m\u0085\u001b]0;t\u0007';
const RAW = /[\u001b\u0080-\u009f]/;
// how the outputs spell the hostile text once escaped (JSON \u009b, YAML \x9B)
const ESCAPED = /\\u009b|\\x9B/i;

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-c1-'));
const before = join(dir, 'before');
const after = join(dir, 'after');

beforeAll(() => {
  ensureBuilt();
  cpSync('examples/poc-mesh/manifests', before, { recursive: true });
  cpSync('examples/poc-mesh/manifests', after, { recursive: true });
  writeFileSync(
    join(after, '50-hostile-path.yaml'),
    [
      'apiVersion: security.istio.io/v1',
      'kind: AuthorizationPolicy',
      'metadata: {name: backend-hostile-path, namespace: poc-mesh}',
      'spec:',
      '  selector: {matchLabels: {app: backend}}',
      '  action: ALLOW',
      '  rules:',
      '  - from: [{source: {principals: ["cluster.local/ns/poc-mesh/sa/frontend-sa"]}}]',
      `    to: [{operation: {methods: [GET], paths: [${JSON.stringify(`/x${HOSTILE}`)}]}}]`,
      '',
    ].join('\n'),
  );
}, 120_000);

function expectInert(r: { code: number | null; stdout: string; stderr: string }, json: 'lines' | 'one' | null): void {
  expect(r.code).not.toBe(70);
  expect(RAW.test(r.stdout), r.stdout.slice(0, 300)).toBe(false);
  expect(RAW.test(r.stderr), r.stderr.slice(0, 300)).toBe(false);
  expect(r.stdout).toMatch(ESCAPED);
  if (json === 'one') expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  if (json === 'lines')
    for (const line of r.stdout.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
}

/**
 * A request path carries the C1 part only: ESC and BEL are C0 controls no request line can carry
 * (RFC 9112 section 3.2), so a path with them is refused as bad input (the last test here).
 */
const REQUEST_PATH = '/x\u009b31m\u0085';
const EXPLAIN = ['poc-mesh/frontend', 'poc-mesh/backend', '--port', '80', '--method', 'GET', '--path', REQUEST_PATH];

describe('no raw ESC/C1 on any output; JSON escapes U+0080-U+009F', () => {
  it.each([
    ['explain -o json', ['explain', '--from', after, ...EXPLAIN, '-o', 'json'], 'one'],
    ['explain -o yaml', ['explain', '--from', after, ...EXPLAIN, '-o', 'yaml'], null],
    ['map -o json', ['map', '--from', after, '-n', 'poc-mesh', '-o', 'json'], 'one'],
    ['map (text)', ['map', '--from', after, '-n', 'poc-mesh'], null],
    ['map -o csv', ['map', '--from', after, '-n', 'poc-mesh', '-o', 'csv'], null],
    ['map -o md', ['map', '--from', after, '-n', 'poc-mesh', '-o', 'md'], null],
    ['map -o dot', ['map', '--from', after, '-n', 'poc-mesh', '-o', 'dot'], null],
    ['diff -o json', ['diff', '--from', before, '--to', after, '-o', 'json'], 'one'],
    ['diff (text)', ['diff', '--from', before, '--to', after], null],
  ] as const)('%s', (_name, args, json) => {
    expectInert(runCli(args), json);
  });

  it('explain --batch', () => {
    const line = JSON.stringify({
      src: 'poc-mesh/frontend',
      dst: 'poc-mesh/backend',
      port: 80,
      http: { method: 'GET', path: REQUEST_PATH },
    });
    expectInert(runCli(['explain', '--from', after, '--batch', '-'], { input: `${line}\n` }), 'lines');
  });

  it('a request path with ESC and BEL is refused, and the refusal quotes it without raw controls', () => {
    const args = ['poc-mesh/frontend', 'poc-mesh/backend', '--port', '80', '--path', `/x${HOSTILE}`];
    const r = runCli(['explain', '--from', after, ...args, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds a space or a control character');
    expect(RAW.test(r.stderr), r.stderr.slice(0, 300)).toBe(false);
    expect(r.stdout).toBe('');
  });

  describe('snapshot of a live object carrying C1 text', () => {
    let api: KubeApiServer;
    beforeAll(async () => {
      api = await KubeApiServer.start();
      api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      api.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'shop', labels: { app: `web${HOSTILE}` } },
        spec: { containers: [{ name: 'web', image: 'web' }] },
        status: { podIP: '10.0.0.1' },
      });
    });
    afterAll(async () => {
      await api.close();
    });

    it('snapshot YAML', async () => {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, api.kubeconfig('shop'));
      expectInert(await runCliAsync(['snapshot', '-A'], { env: { KUBECONFIG: kubeconfig } }), null);
    });
  });
});
