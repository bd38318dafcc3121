import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { proxyRowsDrift } from '../../../src/sources/envoy-admin/drift.js';
import { createIstioctlProxyControl } from '../../../src/sources/istioctl.js';
import type { RawObject } from '../../../src/model/raw.js';

const standin = fileURLToPath(new URL('../../bin/istioctl', import.meta.url));

function raw(object: Record<string, unknown>): RawObject {
  return { object, loc: null, lines: null };
}

const objects = [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default', 'istio-injection': 'enabled' } },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'httpbin-74fb669cc6-lpscm',
      namespace: 'default',
      labels: { app: 'httpbin', 'security.istio.io/tlsMode': 'istio' },
    },
    spec: {
      serviceAccountName: 'httpbin',
      containers: [
        { name: 'httpbin', image: 'h' },
        { name: 'istio-proxy', image: 'proxyv2' },
      ],
    },
    status: { podIP: '10.0.0.5', phase: 'Running' },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'httpbin', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'httpbin' } },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
    },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'block-admin', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'httpbin' } },
      action: 'DENY',
      rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
    },
  },
];

// what the live pod detail does: the proxy's table read through ProxyControl (commands/tui.tsx),
// compared with the Snapshot (ui/docs/pod-detail-doc.ts)
describe('proxyRowsDrift on a proxy table', () => {
  it('names policies the proxy still enforces and policies it does not enforce yet', async () => {
    const snapshot = snapshotFromObjects(objects.map(raw), null, 'test', 'manifests');
    const pod = snapshot.pods.find((p) => p.name === 'httpbin-74fb669cc6-lpscm');
    if (!pod) throw new Error('pod missing from the snapshot');
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-drift-'));
    const control = createIstioctlProxyControl({
      binary: standin,
      kubeconfig: null,
      context: null,
      timeoutMs: 10_000,
      env: { ...process.env, ISTIOCTL_STANDIN_LOG: join(dir, 'log') },
    });
    const table = await control.authzCheck({ namespace: pod.namespace, name: pod.name });
    const drift = proxyRowsDrift(snapshot, pod, table.rows);
    expect(drift.inSync).toBe(false);
    expect(drift.messages).toEqual([
      'proxy still enforces CUSTOM ext-authz.default, which the cluster no longer has (stale config)',
      'proxy does not enforce DENY block-admin.default yet (not pushed, or rejected by istiod)',
    ]);
    expect(drift.rulesDiffer).toEqual([]);
  });
});
