/**
 * A cluster admitted an Istio object that istiod's webhook rejects today (the webhook was off, or
 * older than the rule): live, meshdbg reports it as a warning and still answers, instead of
 * refusing the whole cluster as it refuses the same object in a manifest (exit 2).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyManifest, applyPath, type Applied, type Manifest } from './lib/apply.js';
import { deleteManifests, openHarness, REPO, runCli, type Harness } from './lib/harness.js';

// rejected by ValidateAuthorizationPolicy (security.ValidateAttribute "unknown attribute"), accepted by the CRD schema
const ADMITTED: Manifest = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'admitted-unknown-when-key', namespace: 'admitted-istio' },
  spec: { rules: [{ when: [{ key: 'request.header[x-user]', values: ['alice'] }] }] },
};
const NAMESPACE: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'admitted-istio' } };
const QUERY = {
  src: 'poc-mesh/frontend',
  dst: 'poc-mesh/backend',
  port: 80,
  http: { method: 'GET', path: '/api/orders' },
};

let h: Harness;
let applied: Applied;
beforeAll(async () => {
  h = await openHarness(inject('clusterDir'));
  applied = await applyPath(h.admin, h.discovery, join(REPO, 'examples', 'poc-mesh', 'manifests'));
  for (const m of [NAMESPACE, ADMITTED]) await applyManifest(h.admin, h.discovery, m);
});
afterAll(async () => {
  await deleteManifests(h, [...applied.applied, ADMITTED]);
});

describe('an Istio object the cluster admitted but the webhook rejects', () => {
  it('live lint: a warning that says the cluster admitted it', async () => {
    const r = await runCli(['lint', '--kubeconfig', h.adminKubeconfig, '-o', 'json']);
    const mine = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { severity: string; code: string; message: string; object?: { name?: string } })
      .filter((f) => f.object?.name === 'admitted-unknown-when-key' && f.code === 'unknown-when-key');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.severity).toBe('warning');
    expect(mine[0]?.message).toMatch(/the cluster admitted it/);
  });

  it('live explain still answers (before, the finding was an error and explain refused the cluster)', async () => {
    const r = await runCli(
      ['explain', '--batch', '-', '--kubeconfig', h.adminKubeconfig, '-o', 'json'],
      `${JSON.stringify(QUERY)}\n`,
    );
    expect(r.stderr).not.toMatch(/invalid object/);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout.trim()) as { verdict: string }).verdict).toBe('allowed');
  });
});
