/** Issue 11: a few thousand nested `[`/`{` exit 2 with file, line and the limit, never 70 (stack overflow). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-deep-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepPolicy = write(
  'deep.yaml',
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {matchLabels: {x: ${deep(5000)}}}\n`,
);
const deepJson = write(
  'deep.json',
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5001)}`,
);

function expectRefusal(r: ReturnType<typeof runCli>, where: RegExp): void {
  expect(r.code).toBe(2);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  expect(`${r.stdout}${r.stderr}`).toMatch(where);
  expect(`${r.stdout}${r.stderr}`).toMatch(/at most 512 levels/);
}

describe('deeply nested input', () => {
  it('lint: YAML manifest', () => {
    expectRefusal(runCli(['lint', '--from', deepPolicy]), /nesting-too-deep: \S*deep\.yaml:5: nesting deeper than 512/);
  });
  it('lint: JSON manifest', () => {
    expectRefusal(runCli(['lint', '--from', deepJson]), /\S*deep\.json:1: nesting deeper than 512/);
  });
  it('explain: the manifest is refused like any invalid object', () => {
    expectRefusal(runCli(['explain', '--from', deepPolicy, 'a/x', 'a/y:80']), /deep\.yaml:5: nesting deeper/);
  });
  it('explain --batch: the line is answered with an Error naming it', () => {
    const batch = write('batch.jsonl', `{"src":"a/b","dst":${deep(4000)}}\n`);
    const r = runCli(['explain', '--from', fixture('../seed-001-frontend-backend.yaml'), '--batch', batch]);
    expectRefusal(r, /"message":"line 1: nesting deeper than 512 levels/);
  });
  it('check: the check file', () => {
    const check = write('check.yaml', `- query: {src: a/b, dst: c/d:80}\n  expect: ${deep(4000)}\n`);
    expectRefusal(runCli(['check', check]), /check\.yaml:2: nesting deeper than 512/);
  });
});
