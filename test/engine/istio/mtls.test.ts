import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { serverMode } from '../../../src/engine/istio/peer-authn.js';
import { flow, pod, reachAll, service, snapshotOf } from './helpers.js';

const pa = (ns: string, name: string, spec: string, created?: string) =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ''}}\nspec: ${spec}\n---\n`;

const server = pod('app', 'server', { ports: [8080, 9090] });
const client = pod('app', 'client');

describe('effective PeerAuthentication mode', () => {
  it('defaults to PERMISSIVE with no policy', () => {
    expect(serverMode(snapshotOf({ pods: [server] }), server, 8080).mode).toBe('PERMISSIVE');
  });

  it('workload beats namespace beats mesh (root namespace)', () => {
    const mesh = pa('istio-system', 'mesh', '{mtls: {mode: STRICT}}');
    const ns = pa('app', 'ns', '{mtls: {mode: PERMISSIVE}}');
    const wl = pa('app', 'wl', '{selector: {matchLabels: {app: server}}, mtls: {mode: DISABLE}}');
    expect(serverMode(snapshotOf({ pods: [server], istio: mesh }), server, 8080).mode).toBe('STRICT');
    expect(serverMode(snapshotOf({ pods: [server], istio: mesh + ns }), server, 8080).mode).toBe('PERMISSIVE');
    expect(serverMode(snapshotOf({ pods: [server], istio: mesh + ns + wl }), server, 8080).mode).toBe('DISABLE');
  });

  it('portLevelMtls beats the workload mode for that container port only', () => {
    const wl = pa(
      'app',
      'wl',
      '{selector: {matchLabels: {app: server}}, mtls: {mode: STRICT}, portLevelMtls: {9090: {mode: PERMISSIVE}}}',
    );
    const snap = snapshotOf({ pods: [server], istio: wl });
    expect(serverMode(snap, server, 9090)).toMatchObject({
      mode: 'PERMISSIVE',
      policies: [{ ruleRef: 'PeerAuthentication:app/wl:portLevelMtls[9090]', port: 9090 }],
    });
    expect(serverMode(snap, server, 8080).mode).toBe('STRICT');
  });

  it('UNSET inherits from the parent level (istio/api: "Inherit from parent")', () => {
    const ns = pa('app', 'ns', '{mtls: {mode: STRICT}}');
    const wl = pa(
      'app',
      'wl',
      '{selector: {matchLabels: {app: server}}, mtls: {mode: UNSET}, portLevelMtls: {9090: {mode: UNSET}}}',
    );
    const snap = snapshotOf({ pods: [server], istio: ns + wl });
    expect(serverMode(snap, server, 8080).mode).toBe('STRICT');
    expect(serverMode(snap, server, 9090).mode).toBe('STRICT');
  });

  it('among duplicates the oldest wins, by name when timestamps are missing, with a finding', () => {
    const older = pa('app', 'zz-old', '{mtls: {mode: DISABLE}}', '2024-01-01T00:00:00Z');
    const newer = pa('app', 'aa-new', '{mtls: {mode: STRICT}}', '2025-01-01T00:00:00Z');
    const byTime = serverMode(snapshotOf({ pods: [server], istio: newer + older }), server, 8080);
    expect(byTime.mode).toBe('DISABLE');
    expect(byTime.findings[0]).toMatchObject({ code: 'duplicate-peerauthentication', object: { name: 'zz-old' } });
    const byName = serverMode(
      snapshotOf({
        pods: [server],
        istio: pa('app', 'b', '{mtls: {mode: DISABLE}}') + pa('app', 'a', '{mtls: {mode: STRICT}}'),
      }),
      server,
      8080,
    );
    expect(byName.mode).toBe('STRICT');
  });

  it('root-namespace policies with a selector are not mesh-wide', () => {
    const rootSel = pa('istio-system', 'sel', '{selector: {matchLabels: {app: server}}, mtls: {mode: STRICT}}');
    const m = serverMode(snapshotOf({ pods: [server], istio: rootSel }), server, 8080);
    expect(m.mode).toBe('PERMISSIVE');
    expect(m.findings.map((f) => f.code)).toEqual(['root-peerauthentication-selector']);
  });
});

describe('client TLS and the mtls step', () => {
  const svc = service('app', 'server', [{ name: 'http', port: 80, targetPort: 8080 }]);
  const ask = (istio: string, o: Parameters<typeof flow>[2] = {}, src = client) =>
    evaluateIstioLayers(
      snapshotOf({ pods: [src, server], services: [svc], istio }),
      flow(src, server, {
        service: svc,
        servicePort: 80,
        port: 8080,
        appProtocol: 'http',
        method: 'GET',
        path: '/',
        ...o,
      }),
      reachAll,
    );

  it('auto-mTLS sends Istio mTLS to a pod labelled tlsMode istio', () => {
    expect(ask('').clientTls).toBe('istio-mutual');
  });

  it('a DestinationRule tls.mode DISABLE toward STRICT gives 503 UC (istio.io docs "503 errors after setting destination rule")', () => {
    const dr =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: plain, namespace: app}\nspec: {host: server, trafficPolicy: {tls: {mode: DISABLE}}}\n---\n';
    const r = ask(dr + pa('app', 'strict', '{mtls: {mode: STRICT}}'));
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]?.verdict).toBe('denied');
    expect(r.expectedResponse).toMatchObject({ status: 503, flags: 'UC' });
  });

  it('a port-level DestinationRule setting wins over the DR-wide one', () => {
    const dr =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: app}\nspec:\n  host: server.app.svc.cluster.local\n  trafficPolicy:\n    tls: {mode: DISABLE}\n    portLevelSettings: [{port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}]\n';
    expect(ask(dr).clientTls).toBe('istio-mutual');
  });

  // istio/istio:pilot/pkg/xds/endpoints/mtls_checker.go checkMtlsEnabled composes the endpoint's workload
  // and port-level PeerAuthentication; a DISABLE marks the endpoint plaintext for auto-mTLS clients
  it('a workload-level DISABLE is honoured by auto-mTLS: the client sends plaintext, the server accepts it', () => {
    const r = ask(pa('app', 'wl', '{selector: {matchLabels: {app: server}}, mtls: {mode: DISABLE}}'));
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]).toMatchObject({ verdict: 'allowed', serverMode: 'DISABLE' });
  });

  it('a workload-level DISABLE under a DestinationRule ISTIO_MUTUAL: the client still sends mTLS and fails', () => {
    const dr =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: m, namespace: app}\nspec: {host: server, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}\n---\n';
    const r = ask(dr + pa('app', 'wl', '{selector: {matchLabels: {app: server}}, mtls: {mode: DISABLE}}'));
    expect(r.clientTls).toBe('istio-mutual');
    expect(r.steps[1]).toMatchObject({ verdict: 'denied', serverMode: 'DISABLE' });
  });

  it('a workload-level STRICT under a namespace DISABLE: the cluster has no TLS, the client sends plaintext and fails', () => {
    const r = ask(
      pa('app', 'ns', '{mtls: {mode: DISABLE}}') +
        pa('app', 'wl', '{selector: {matchLabels: {app: server}}, mtls: {mode: STRICT}}'),
    );
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]).toMatchObject({ verdict: 'denied', serverMode: 'STRICT' });
  });

  it('a port-level DISABLE is honoured by auto-mTLS: the client sends plaintext to that port only', () => {
    const wl = (port: number) =>
      pa(
        'app',
        'wl',
        `{selector: {matchLabels: {app: server}}, mtls: {mode: STRICT}, portLevelMtls: {${port}: {mode: DISABLE}}}`,
      );
    const r = ask(wl(8080));
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]).toMatchObject({ verdict: 'allowed', serverMode: 'DISABLE' });
    expect(ask(wl(9090)).clientTls).toBe('istio-mutual');
  });

  it('a namespace-level DISABLE turns auto-mTLS off: plaintext accepted, no identity for authz', () => {
    const allowFrontend =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: app}\nspec: {rules: [{from: [{source: {principals: ["cluster.local/ns/app/sa/client"]}}]}]}\n---\n';
    const r = ask(pa('app', 'ns', '{mtls: {mode: DISABLE}}') + allowFrontend);
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]?.verdict).toBe('allowed');
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.nearestMiss[0]?.clauses[0]).toMatchObject({ field: 'from[0].source.principals', actual: null });
  });

  it('--no-mtls overrides the computed value and says so', () => {
    const r = ask(pa('app', 'ns', '{mtls: {mode: STRICT}}'), { mtlsOverride: false });
    expect(r.clientTls).toBe('plaintext');
    expect(r.notes.join(' ')).toMatch(/--no-mtls/);
    expect(r.steps[1]?.verdict).toBe('denied');
  });

  it('enableAutoMtls: false in the mesh ConfigMap means plaintext without a DestinationRule', () => {
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    enableAutoMtls: false\n---\n';
    expect(ask(cm).clientTls).toBe('plaintext');
  });

  it('an excluded inbound port bypasses mTLS and authz', () => {
    const bypass = pod('app', 'server', {
      ports: [8080],
      annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' },
    });
    const plain = pod('app', 'legacy', { sidecar: false });
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [plain, bypass], istio: pa('app', 'ns', '{mtls: {mode: STRICT}}') }),
      flow(plain, bypass, { port: 8080 }),
      reachAll,
    );
    expect(r.steps.slice(1).map((s) => s.verdict)).toEqual([
      'not-applicable',
      'not-applicable',
      'not-applicable',
      'not-applicable',
      'not-applicable',
    ]);
    expect(r.steps[4]?.summary).toMatch(/excludeInboundPorts/);
    expect(r.findings.map((f) => f.code)).toContain('port-bypasses-sidecar');
  });

  it('a sidecar client still sends Istio mTLS to an excluded inbound port: conditional', () => {
    const bypass = pod('app', 'server', {
      ports: [8080],
      annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' },
    });
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [client, bypass] }),
      flow(client, bypass, { port: 8080 }),
      reachAll,
    );
    expect(r.steps[1]?.verdict).toBe('conditional');
    expect(r.conditions.map((c) => c.code)).toContain('partial-view');
    expect(r.steps[5]?.verdict).toBe('not-applicable');
  });

  it('an excluded outbound port leaves without a mesh identity', () => {
    const c = pod('app', 'client', { annotations: { 'traffic.sidecar.istio.io/excludeOutboundPorts': '80' } });
    const r = ask(pa('app', 'ns', '{mtls: {mode: STRICT}}'), {}, c);
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]?.summary).toMatch(/excludeOutboundPorts/);
  });

  it('UDP is never proxied: every Istio step is not-applicable', () => {
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [client, server] }),
      flow(client, server, { protocol: 'UDP', port: 8080 }),
      reachAll,
    );
    expect(r.steps.map((s) => s.verdict)).toEqual(Array(6).fill('not-applicable'));
    expect(r.steps[5]?.summary).toMatch(/UDP is never proxied/);
  });

  it('a sidecar client forced to mTLS toward a pod without sidecar fails with 503', () => {
    const bare = pod('app', 'server', { sidecar: false });
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [client, bare] }),
      flow(client, bare, { mtlsOverride: true }),
      reachAll,
    );
    expect(r.steps[1]?.verdict).toBe('denied');
    expect(r.expectedResponse?.status).toBe(503);
  });
});

// istio/istio pilot/pkg/model/push_context.go BestEffortInferServiceMTLSMode: a headless (passthrough)
// Service gets DISABLE when any endpoint lacks the sidecar label; cluster_tls.go applyUpstreamTLSSettings
// sends an ORIGINAL_DST cluster's TLS to every endpoint (no socket match on the label, no EDS marking)
describe('client TLS to a headless Service', () => {
  const headless = service(
    'app',
    'server',
    [{ name: 'http', port: 8080, targetPort: 8080 }],
    { app: 'server' },
    'None',
  );
  const legacy = pod('app', 'legacy', { labels: { app: 'server' }, sidecar: false });
  const ask = (pods: ReturnType<typeof pod>[], istio = '') =>
    evaluateIstioLayers(
      snapshotOf({ pods: [client, ...pods], services: [headless], istio }),
      flow(client, server, { service: headless, port: 8080, appProtocol: 'http', method: 'GET', path: '/' }),
      reachAll,
    );

  it('every endpoint with a sidecar: Istio mTLS', () => {
    expect(ask([server]).clientTls).toBe('istio-mutual');
  });

  it('one endpoint without sidecar: plaintext to every endpoint, also to the one with a sidecar', () => {
    const r = ask([server, legacy], pa('app', 'strict', '{mtls: {mode: STRICT}}'));
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]).toMatchObject({ verdict: 'denied', serverMode: 'STRICT' });
  });

  it("a workload-level DISABLE does not mark a headless Service's endpoints: the client sends mTLS and fails", () => {
    const r = ask([server], pa('app', 'wl', '{selector: {matchLabels: {app: server}}, mtls: {mode: DISABLE}}'));
    expect(r.clientTls).toBe('istio-mutual');
    expect(r.steps[1]).toMatchObject({ verdict: 'denied', serverMode: 'DISABLE' });
  });
});
