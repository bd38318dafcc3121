import { describe, expect, it } from 'vitest';
import { lintIstio } from '../../../src/engine/istio/lint.js';
import type { NetworkPolicy } from '../../../src/model/k8s.js';
import { pod, rawObjects, service, snapshotOf } from './helpers.js';
import { convertIstio } from '../../../src/model/convert/istio.js';

// IST0102 namespace-not-injected (info) for the hand-built namespaces is left to analyzers.test.ts
const codes = (fs: readonly { code: string }[]) =>
  fs.filter((f) => f.code !== 'namespace-not-injected').map((f) => f.code);
const ap = (ns: string, name: string, spec: string) =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: ${spec}\n---\n`;
const strict =
  'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec: {mtls: {mode: STRICT}}\n---\n';

describe('lintIstio', () => {
  const backend = pod('shop', 'backend', { sa: 'backend-sa' });
  const frontend = pod('shop', 'frontend', { sa: 'frontend-sa' });

  it('seed 004: sidecar.istio.io/proxyLogLevel is not an Istio annotation', () => {
    const p = pod('np-test-1', 'np-test-nginx-1', {
      annotations: { 'sidecar.istio.io/logLevel': 'debug', 'sidecar.istio.io/proxyLogLevel': 'rbac:debug' },
    });
    const f = lintIstio(snapshotOf({ pods: [p] }));
    expect(codes(f)).toEqual(['unknown-istio-annotation']);
    expect(f[0]?.message).toMatch(/logLevel or componentLogLevel/);
  });

  it('selectors and targetRefs that match nothing; Service targets are waypoint-only', () => {
    const f = lintIstio(
      snapshotOf({
        pods: [backend],
        istio:
          strict +
          ap('shop', 'ghost', '{selector: {matchLabels: {app: ghost}}}') +
          ap('shop', 'svc', '{targetRefs: [{kind: Service, group: "", name: nothing}]}'),
      }),
    );
    expect(codes(f)).toEqual(['targetref-waypoint-only', 'targetref-matches-nothing', 'no-matching-workloads']);
  });

  it('principals on a workload that accepts plaintext', () => {
    const rule =
      '{selector: {matchLabels: {app: backend}}, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/frontend-sa"]}}]}]}';
    expect(codes(lintIstio(snapshotOf({ pods: [backend, frontend], istio: ap('shop', 'p', rule) })))).toEqual([
      'identity-without-mtls',
    ]);
    expect(codes(lintIstio(snapshotOf({ pods: [backend, frontend], istio: strict + ap('shop', 'p', rule) })))).toEqual(
      [],
    );
  });

  it('unknown namespaces and service accounts named in rules', () => {
    const rule =
      '{rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/ghost-sa", "cluster.local/ns/nowhere/sa/x"], namespaces: ["nowhere"]}}]}]}';
    const f = lintIstio(snapshotOf({ pods: [backend, frontend], istio: strict + ap('shop', 'p', rule) }));
    expect(codes(f)).toEqual(['unknown-rule-service-account', 'unknown-rule-namespace', 'namespace-not-found']);
  });

  it('unknown when keys: an error of conversion (istiod ValidateAttribute "unknown attribute"), not a lint warning', () => {
    const s = snapshotOf({
      pods: [backend],
      istio: strict + ap('shop', 'p', '{rules: [{when: [{key: "request.header[x]", values: ["1"]}]}]}'),
    });
    expect(codes(lintIstio(s))).toEqual([]);
    const f = convertIstio(
      rawObjects(ap('shop', 'p', '{rules: [{when: [{key: "request.header[x]", values: ["1"]}]}]}')),
      {
        defaultNamespace: 'shop',
      },
    ).findings;
    expect(f.map((x) => [x.severity, x.code])).toEqual([['error', 'unknown-when-key']]);
    expect(f[0]?.message).toMatch(
      /unknown attribute: request\.header\[x\].*istiod ValidateAuthorizationPolicy, istio\/istio pkg\/config\/validation\/validation\.go\)$/,
    );
  });

  it('HTTP-only fields on a port declared TCP', () => {
    const svc = service('shop', 'backend', [{ name: 'tcp-db', port: 5432, targetPort: 8080 }]);
    const f = lintIstio(
      snapshotOf({
        pods: [backend],
        services: [svc],
        istio:
          strict +
          ap(
            'shop',
            'p',
            '{selector: {matchLabels: {app: backend}}, rules: [{to: [{operation: {methods: ["GET"], ports: ["8080"]}}]}]}',
          ),
      }),
    );
    expect(codes(f)).toEqual(['http-field-on-tcp-port']);
    expect(f[0]?.message).toMatch(/never matches/);
  });

  it('ports excluded from capture', () => {
    const p = pod('shop', 'db', { annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '5432' } });
    expect(codes(lintIstio(snapshotOf({ pods: [p] })))).toEqual(['port-bypasses-sidecar']);
  });

  it('a root-namespace PeerAuthentication with a selector', () => {
    const pa =
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: sel, namespace: istio-system}\nspec: {selector: {matchLabels: {app: backend}}, mtls: {mode: STRICT}}\n';
    expect(codes(lintIstio(snapshotOf({ pods: [backend], istio: pa })))).toContain('root-peerauthentication-selector');
  });

  it('seed 003: a NetworkPolicy port equal to the Service port but not the targetPort (8000 vs 8080)', () => {
    const httpbin = pod('web', 'httpbin', { ports: [8080] });
    const svc = service('web', 'httpbin', [{ name: 'http', port: 8000, targetPort: 8080 }]);
    const np: NetworkPolicy = {
      namespace: 'web',
      name: 'allow-ingress-to-sidecar',
      podSelector: { matchLabels: { app: 'httpbin' }, matchExpressions: [] },
      affectsIngress: true,
      affectsEgress: false,
      ingress: [{ peers: null, ports: [{ protocol: 'TCP', port: 8000, endPort: null }] }],
      egress: [],
      raw: {},
      loc: null,
    };
    const f = lintIstio(snapshotOf({ pods: [httpbin], services: [svc], other: { networkPolicies: [np] } }));
    expect(codes(f)).toEqual(['netpol-service-port']);
    expect(f[0]?.message).toMatch(/targetPort 8080/);
    const fixed = {
      ...np,
      ingress: [{ peers: null, ports: [{ protocol: 'TCP' as const, port: 8080, endPort: null }] }],
    };
    expect(
      codes(lintIstio(snapshotOf({ pods: [httpbin], services: [svc], other: { networkPolicies: [fixed] } }))),
    ).toEqual([]);
  });
});

describe('lintIstio, outbound exclusions and ServiceEntry targets', () => {
  it('reports outbound exclusions as traffic without mesh identity', () => {
    const p = pod('shop', 'api', { annotations: { 'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8' } });
    const f = lintIstio(snapshotOf({ pods: [p] }));
    expect(codes(f)).toEqual(['port-bypasses-sidecar']);
    expect(f[0]?.message).toMatch(/without mesh identity/);
  });

  it('a ServiceEntry targetRef matching a ServiceEntry in the input is waypoint-only but not unmatched', () => {
    const se =
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: shop}\nspec: {hosts: [example.com]}\n---\n';
    const p =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: shop}\nspec: {targetRefs: [{group: networking.istio.io, kind: ServiceEntry, name: ext}]}\n';
    expect(codes(lintIstio(snapshotOf({ pods: [pod('shop', 'x')], istio: se + p })))).toEqual([
      'targetref-waypoint-only',
    ]);
    expect(codes(lintIstio(snapshotOf({ pods: [pod('shop', 'x')], istio: p })))).toEqual([
      'targetref-waypoint-only',
      'targetref-matches-nothing',
    ]);
  });
});

describe('lintIstio, ports and principals as istiod reads them', () => {
  const backend = pod('shop', 'backend', { sa: 'backend-sa', ports: [8080] });
  const svc = service('shop', 'backend', [{ name: 'http', port: 80, targetPort: 8080 }]);
  const ap = (spec: string) =>
    `${strictPa}apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: shop}\nspec: ${spec}\n`;
  const strictPa =
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec: {mtls: {mode: STRICT}}\n---\n';

  it('an AuthorizationPolicy port written as the Service port (ports are container ports, istio/api PR #3075)', () => {
    const f = lintIstio(
      snapshotOf({
        pods: [backend],
        services: [svc],
        istio: ap('{selector: {matchLabels: {app: backend}}, rules: [{to: [{operation: {ports: ["80"]}}]}]}'),
      }),
    );
    expect(codes(f)).toEqual(['authz-port-is-service-port']);
    expect(f[0]?.message).toMatch(/container port 8080/);
  });

  it('a named targetPort resolves by name and protocol, as the endpoints controller does (kubernetes/kubernetes:pkg/api/v1/pod/util.go FindPort)', () => {
    // A TCP Service port 80 -> targetPort "web": the pod's only port named "web" is UDP 8080, so the
    // Service reaches no port here and port 80 in the policy is not a Service port written by mistake.
    const udpWeb: typeof backend = {
      ...backend,
      containers: backend.containers.map((c) =>
        c.name === 'app' ? { ...c, ports: [{ name: 'web', containerPort: 8080, protocol: 'UDP' as const }] } : c,
      ),
    };
    const named = (protocol: 'TCP' | 'UDP') =>
      service('shop', 'backend', [{ name: 'http', port: 80, targetPort: 'web', protocol }]);
    const policy = ap('{selector: {matchLabels: {app: backend}}, rules: [{to: [{operation: {ports: ["80"]}}]}]}');
    const tcp = lintIstio(snapshotOf({ pods: [udpWeb], services: [named('TCP')], istio: policy }));
    expect(codes(tcp)).not.toContain('authz-port-is-service-port');
    const udp = lintIstio(snapshotOf({ pods: [udpWeb], services: [named('UDP')], istio: policy }));
    expect(codes(udp)).toContain('authz-port-is-service-port');
  });

  it('a principal written with spiffe://', () => {
    const f = lintIstio(
      snapshotOf({
        pods: [backend],
        istio: ap('{rules: [{from: [{source: {principals: ["spiffe://cluster.local/ns/shop/sa/backend-sa"]}}]}]}'),
      }),
    );
    expect(codes(f)).toContain('principal-spiffe-prefix');
  });
});
