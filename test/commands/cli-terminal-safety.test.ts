import { beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runCli } from './cli-harness.js';

// A NetworkPolicy whose (invalid, so only warned about) name carries ESC and BEL sequences.
const EVIL = `apiVersion: v1
kind: Pod
metadata: {name: b, namespace: a, labels: {app: b}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: a, labels: {app: c}}
spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "np\\e[2J\\e]0;owned\\a", namespace: a}
spec: {podSelector: {}}
`;
let file = '';

beforeAll(() => {
  ensureBuilt();
  file = join(mkdtempSync(join(tmpdir(), 'meshdbg-evil-')), 'evil.yaml');
  writeFileSync(file, EVIL);
}, 120_000);

it('explain text output carries no terminal control sequences from manifest names', () => {
  const r = runCli(['explain', 'a/c', 'a/b', '--port', '80', '--from', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('NetworkPolicy');
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\u001b\u0007]/);
});

it('lint text output carries no terminal control sequences from manifest names', () => {
  const r = runCli(['lint', '--from', file]);
  expect(`${r.stdout}${r.stderr}`).toContain('invalid-name');
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\u001b\u0007]/);
});
