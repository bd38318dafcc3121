/**
 * istio/istio's own tables for what a client proxy sends (the cluster's TLS), as data with
 * provenance: test/fixtures/istio-authz/client-tls-cases.json (pilot/pkg/networking/core/
 * cluster_tls_test.go, cluster_test.go and pilot/pkg/model/push_context_test.go at the commit its
 * `provenance` names; `sources` names each test). Each vector becomes manifests and one explain
 * query; its `clientTls` is compared with request.clientTls and the mtls step's clientTls.
 * The fixture's `about` says how the tables map, `skipped` what is left out and why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';

interface Obj {
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
}
interface Vector {
  readonly test: string;
  readonly name: string;
  readonly note?: string;
  readonly mesh?: { readonly enableAutoMtls?: boolean };
  readonly client?: 'sidecar' | 'gateway';
  readonly server?: { readonly sidecar?: boolean };
  readonly serverNamespace?: string;
  readonly destination?: 'service' | 'headless' | 'external';
  readonly port?: number;
  readonly peerAuthentications?: readonly Obj[];
  readonly destinationRules?: readonly Obj[];
  readonly expect: { readonly clientTls: string };
}
interface Fixture {
  readonly sources: Record<string, { repo: string; path: string; commit: string; test: string }>;
  readonly vectors: readonly Vector[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/istio-authz/client-tls-cases.json', import.meta.url), 'utf8'),
) as Fixture;

const doc = (o: Record<string, unknown>): string => `---\n${JSON.stringify(o)}\n`;
const EXTERNAL_IP = '203.0.113.10';

function manifests(v: Vector): string {
  const ns = v.serverNamespace ?? 'default';
  const meshText = v.mesh?.enableAutoMtls === false ? 'enableAutoMtls: false' : 'enableAutoMtls: true';
  const namespace = (name: string, injected: boolean): string =>
    doc({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: injected ? { 'istio-injection': 'enabled' } : {} },
    });
  const deployment = (
    namespace: string,
    name: string,
    labels: Record<string, string>,
    pod: { metadata?: Record<string, unknown>; spec: Record<string, unknown> },
  ) =>
    doc({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels, ...pod.metadata }, spec: pod.spec },
      },
    });
  const server = deployment(
    ns,
    'foo',
    { app: 'foo', version: 'v1' },
    {
      metadata: v.server?.sidecar === false ? { annotations: { 'sidecar.istio.io/inject': 'false' } } : {},
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080 }, { containerPort: 9090 }] }] },
    },
  );
  const service = doc({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'foo', namespace: ns },
    spec: {
      clusterIP: v.destination === 'headless' ? 'None' : '10.96.0.20',
      selector: { app: 'foo' },
      ports: [
        { name: 'http', port: 8080, targetPort: 8080 },
        { name: 'auto', port: 9090, targetPort: 9090 },
      ],
    },
  });
  // an egress gateway: its istio-proxy is the pod's own container (the tables' router: true)
  const gateway =
    namespace('gw', false) +
    deployment(
      'gw',
      'egress',
      { app: 'istio-egressgateway', istio: 'egressgateway' },
      { spec: { containers: [{ name: 'istio-proxy', args: ['proxy', 'router'] }] } },
    );
  const external = doc({
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'external', namespace: 'default' },
    spec: {
      hosts: ['ext.example.com'],
      addresses: [`${EXTERNAL_IP}/32`],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      location: 'MESH_EXTERNAL',
      resolution: 'STATIC',
      endpoints: [{ address: EXTERNAL_IP }],
    },
  });
  const policy = (apiVersion: string, kind: string) => (o: Obj) =>
    doc({ apiVersion, kind, metadata: { name: o.name, namespace: o.namespace }, spec: o.spec });
  return (
    doc({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: meshText },
    }) +
    namespace('client', true) +
    deployment('client', 'sleep', { app: 'sleep' }, { spec: { containers: [{ name: 'app' }] } }) +
    (ns === 'default' ? '' : namespace('default', true)) +
    namespace(ns, true) +
    server +
    service +
    (v.client === 'gateway' ? gateway : '') +
    (v.destination === 'external' ? external : '') +
    (v.peerAuthentications ?? []).map(policy('security.istio.io/v1', 'PeerAuthentication')).join('') +
    (v.destinationRules ?? []).map(policy('networking.istio.io/v1', 'DestinationRule')).join('')
  );
}

describe('client TLS: istio/istio cluster TLS tables (test/fixtures/istio-authz/client-tls-cases.json)', () => {
  it('every vector names a source test with provenance', () => {
    for (const v of fixture.vectors) expect(fixture.sources[v.test], `${v.test}: ${v.name}`).toBeDefined();
  });

  it.each(fixture.vectors.map((v) => [`${v.test}: ${v.name}`, v] as const))('%s', (_name, v) => {
    const snapshot = snapshotFromYaml(manifests(v));
    const errors = snapshot.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
    expect(errors, 'the manifests are valid').toEqual([]);
    const e = explainOk(snapshot, {
      src: v.client === 'gateway' ? 'gw/egress' : 'client/sleep',
      dst: v.destination === 'external' ? EXTERNAL_IP : `${v.serverNamespace ?? 'default'}/svc/foo`,
      port: v.destination === 'external' ? 443 : (v.port ?? 8080),
    });
    expect(e.source.sidecar, 'the client has a proxy').toBe(true);
    expect(e.request.clientTls, 'request.clientTls').toBe(v.expect.clientTls);
    const mtls = e.steps.find((s) => s.layer === 'mtls');
    expect(mtls?.clientTls, 'mtls step clientTls').toBe(v.expect.clientTls);
  });
});
