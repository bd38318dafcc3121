/**
 * A user who may read one namespace only (Role + RoleBinding on a real RBAC authorizer): the
 * lists it is forbidden become `partial-view` conditions, and no verdict is wrong. Each answer
 * is the admin's, or `conditional` with a partial-view condition.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyPath, type Applied } from './lib/apply.js';
import { deleteManifests, openHarness, REPO, runCli, type Harness } from './lib/harness.js';
import { namespaceReader } from './lib/users.js';

const EXAMPLE = join(REPO, 'examples', 'poc-mesh');
const QUERIES = [
  { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'GET', path: '/api/orders' } },
  { src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80, http: { method: 'POST', path: '/api/orders' } },
  { src: 'poc-mesh/payments', dst: 'poc-mesh/backend', port: 80, http: { method: 'GET', path: '/api/orders' } },
  { src: 'poc-mesh/debug-no-sidecar', dst: 'poc-mesh/backend', port: 80 },
];
const input = QUERIES.map((q, i) => JSON.stringify({ id: String(i), ...q })).join('\n') + '\n';

interface Verdict {
  readonly verdict: string;
  readonly conditions: readonly { type?: string; code?: string; message?: string }[];
}

const verdicts = (stdout: string): Verdict[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Verdict);

let h: Harness;
let applied: Applied;
let reader: string;
beforeAll(async () => {
  h = await openHarness(inject('clusterDir'));
  applied = await applyPath(h.admin, h.discovery, join(EXAMPLE, 'manifests'));
  reader = await namespaceReader(h.state, h.admin, 'poc-mesh-reader', 'poc-mesh');
});
afterAll(async () => {
  await deleteManifests(h, applied.applied);
});

describe('a namespace-only user on a real apiserver', () => {
  it('gets the admin verdict or conditional with a partial-view condition, never another verdict', async () => {
    const admin = await runCli(['explain', '--batch', '-', '--kubeconfig', h.adminKubeconfig, '-o', 'json'], input);
    const user = await runCli(['explain', '--batch', '-', '--kubeconfig', reader, '-o', 'json'], input);
    const full = verdicts(admin.stdout);
    const partial = verdicts(user.stdout);
    expect(full.map((v) => v.verdict)).toEqual(['allowed', 'denied', 'denied', 'denied']);
    expect(partial).toHaveLength(full.length);
    partial.forEach((p, i) => {
      if (p.verdict === full[i]!.verdict) return;
      expect(p.verdict).toBe('conditional');
      expect(JSON.stringify(p.conditions)).toMatch(/partial-view/);
    });
    expect(partial.some((p) => p.verdict === 'conditional')).toBe(true);
  });

  it('says on stderr that the view is partial, and which lists were forbidden', async () => {
    const user = await runCli([
      'explain',
      'poc-mesh/frontend',
      'poc-mesh/backend',
      '--port',
      '80',
      '--kubeconfig',
      reader,
    ]);
    expect(user.stderr).toMatch(/partial view/);
    expect(user.stdout).toMatch(/403 Forbidden/);
    expect([0, 1, 4]).toContain(user.code);
  });

  it('snapshot -n of its namespace works and records what it could not read', async () => {
    const snap = await runCli(['snapshot', '-n', 'poc-mesh', '--kubeconfig', reader]);
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stdout).toMatch(/backend-allow-frontend-read/);
    expect(snap.stdout).toMatch(/403/);
  });
});
