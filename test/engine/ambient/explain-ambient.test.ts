import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, deploy, namespace, service, shop, waypoint } from './world.js';
import { ingressGatewayYaml } from '../../helpers/pod-yaml.js';
import type { Explanation } from '../../../src/engine/explanation.js';

const WP = 'istio.io/use-waypoint: waypoint';
const get = { method: 'GET', path: '/x', host: null, headers: {} };

function ask(
  yaml: string,
  src = 'shop/client',
  dst = 'shop/server',
  http: typeof get | null = get,
  port = 80,
): Explanation {
  return explainOk(snapshotFromYaml(yaml), { src, dst, port, http });
}

const STRICT_SHOP = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: shop}
spec: {mtls: {mode: STRICT}}
`;

const stepsOf = (e: Explanation) =>
  e.steps.map((s) => `${s.layer}${s['enforcer'] ? `@${String(s['enforcer'])}` : ''}:${s.verdict}`);

describe('ambient flows through ztunnel and waypoints', () => {
  // https://istio.io/latest/docs/ambient/usage/networkpolicy/: HBONE on 15008, per hop
  it('NetworkPolicy sees TCP 15008 on each hop: source -> waypoint -> destination', () => {
    const e = ask(shop(waypoint('shop'), WP));
    const hops = e.steps.filter((s) => s.layer.startsWith('networkpolicy')).map((s) => s['hop']);
    expect(hops).toEqual([
      'source -> waypoint',
      'source -> waypoint',
      'waypoint -> destination',
      'waypoint -> destination',
    ]);
    expect(e.steps[0]?.summary).toMatch(/TCP 15008/);
  });

  it('a NetworkPolicy admitting only the app port blocks HBONE, and the fix says to allow 15008', () => {
    const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: shop}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{ports: [{port: 8080, protocol: TCP}]}]
`;
    const e = ask(shop(np));
    expect([e.verdict, e.decidedBy?.layer, e.decidedBy?.policy?.name]).toEqual([
      'denied',
      'networkpolicy-ingress',
      'web-only',
    ]);
    expect(e.fix[0]?.why).toMatch(/allow TCP 15008 in this NetworkPolicy/);
    expect(e.fix[0]?.yaml).toMatch(/port: 15008/);
    // an ambient client's own ztunnel accepted the connection: it is reset
    expect(e.expectedResponse.status).toBe('connection-reset');
  });

  // https://istio.io/latest/docs/ambient/usage/l4-policy/ attachment table
  it('a selector policy is enforced by the destination ztunnel with the client identity', () => {
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const e = ask(shop(p));
    expect([e.verdict, e.decidedBy?.enforcer, e.decidedBy?.policy?.ruleRef, e.decidedBy?.policy?.rule]).toEqual([
      'allowed',
      'ztunnel',
      'AuthorizationPolicy:shop/l4',
      0,
    ]);
  });

  it('through a waypoint ztunnel sees the waypoint identity: an L4 ALLOW for the client denies, with a teaching fix', () => {
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const e = ask(shop(waypoint('shop') + p, WP));
    expect([e.verdict, e.decidedBy?.layer, e.decidedBy?.enforcer, e.expectedResponse.status]).toEqual([
      'denied',
      'authz-allow',
      'ztunnel',
      'connection-reset',
    ]);
    expect(e.nearestMiss[0]?.clauses.find((c) => !c.ok)?.actual).toBe('cluster.local/ns/shop/sa/waypoint');
    expect(e.fix.map((f) => f.why).join(' ')).toMatch(/add the waypoint's service account to this L4 ALLOW/);
  });

  it('the fix for the waypoint identity makes the flow allowed when applied', () => {
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const base = shop(waypoint('shop') + p, WP);
    const fix = ask(base).fix.find((f) => f.action === 'create');
    expect(fix).toBeDefined();
    expect(ask(`${base}---\n${fix?.yaml ?? ''}`).verdict).toBe('allowed');
  });

  it('a policy bound to the waypoint (targetRefs Service) is enforced with full L7 semantics and the client identity: 403', () => {
    const p = authz(
      'shop',
      'l7',
      '{targetRefs: [{kind: Service, group: "", name: server}], action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}], to: [{operation: {methods: ["GET"]}}]}]}',
    );
    const y = shop(waypoint('shop') + p, WP);
    const ok = ask(y);
    expect([ok.verdict, ok.decidedBy?.enforcer, ok.decidedBy?.policy?.ruleRef]).toEqual([
      'allowed',
      'waypoint',
      'ns[shop]-policy[l7]-rule[0]',
    ]);
    const post = ask(y, 'shop/client', 'shop/server', { ...get, method: 'POST' });
    expect([post.verdict, post.decidedBy?.enforcer, post.expectedResponse.status, post.expectedResponse.body]).toEqual([
      'denied',
      'waypoint',
      403,
      'RBAC: access denied',
    ]);
    expect(post.decidedBy?.waypoint).toEqual({ namespace: 'shop', name: 'waypoint' });
  });

  it('a policy targeting the waypoint Gateway applies to all its traffic; a GatewayClass ref in the root namespace too', () => {
    const gw = authz(
      'shop',
      'deny-all',
      '{targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}], action: DENY, rules: [{}]}',
    );
    expect(ask(shop(waypoint('shop') + gw, WP)).decidedBy?.policy?.name).toBe('deny-all');
    const cls = authz(
      'istio-system',
      'deny-class',
      '{targetRefs: [{kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint}], action: DENY, rules: [{}]}',
    );
    expect(ask(shop(waypoint('shop') + cls, WP)).decidedBy?.policy?.name).toBe('deny-class');
  });

  it('a waypoint-bound policy does nothing when traffic has no waypoint', () => {
    const p = authz(
      'shop',
      'l7',
      '{targetRefs: [{kind: Service, group: "", name: server}], action: DENY, rules: [{}]}',
    );
    expect(ask(shop(p)).verdict).toBe('allowed');
  });

  // https://istio.io/latest/docs/ambient/usage/l4-policy/ "Layer 7 authorization policies without waypoints installed"
  it('an L7 ALLOW bound to ztunnel denies everything, with a finding to bind it to the waypoint', () => {
    const p = authz(
      'shop',
      'get-only',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{to: [{operation: {methods: ["GET"]}}]}]}',
    );
    const e = ask(shop(p));
    expect([e.verdict, e.decidedBy?.enforcer]).toEqual(['denied', 'ztunnel']);
    expect(e.findings.find((f) => f.code === 'ambient-l7-on-ztunnel')?.message).toMatch(
      /Bind this L7 rule to the waypoint with targetRefs/,
    );
  });

  it('CUSTOM policies are not sent to ztunnel', () => {
    const p = authz(
      'shop',
      'ext',
      '{selector: {matchLabels: {app: server}}, action: CUSTOM, provider: {name: x}, rules: [{}]}',
    );
    const e = ask(shop(p));
    expect(e.verdict).toBe('allowed');
    expect(e.notes.join(' ')).toMatch(/ztunnel does not support the CUSTOM action/);
  });

  // https://istio.io/latest/docs/ambient/usage/add-workloads/ "Pods outside the mesh"
  it('STRICT refuses plaintext from a client outside the mesh at ztunnel; PERMISSIVE lets it in without identity', () => {
    const outside = namespace('out', 'team: x') + deploy('out', 'legacy');
    const denied = ask(shop(outside + STRICT_SHOP), 'out/legacy');
    expect([
      denied.verdict,
      denied.decidedBy?.layer,
      denied.decidedBy?.enforcer,
      denied.expectedResponse.status,
    ]).toEqual(['denied', 'mtls', 'ztunnel', 'connection-reset']);
    const open = ask(shop(outside), 'out/legacy');
    expect([open.verdict, open.request.clientTls]).toEqual(['allowed', 'plaintext']);
    // plaintext goes straight to the app port
    expect(open.steps[0]?.summary).toMatch(/TCP 8080/);
  });

  // The remedy: PERMISSIVE on the refused workload port only, which ztunnel honours (istiod turns
  // STRICT + portLevelMtls PERMISSIVE into a DENY of unauthenticated traffic on the other ports:
  // istio/istio architecture/ambient/peer-authentication.md), or the client joins the ambient mesh.
  it('a plaintext client refused by STRICT gets the port-level PERMISSIVE fix, which opens that port only', () => {
    const outside = namespace('out', 'team: x') + deploy('out', 'legacy');
    const world = shop(outside + STRICT_SHOP);
    const denied = ask(world, 'out/legacy');
    expect(denied.fix.map((f) => `${f.action} ${f.target.kind} ${f.target.namespace}/${f.target.name}`)).toEqual([
      'create PeerAuthentication shop/server-permissive-8080',
    ]);
    expect(denied.fix[0]?.why).toMatch(/the label istio.io\/dataplane-mode=ambient on its namespace/);
    const fixed = `${world}---\n${denied.fix[0]?.yaml ?? ''}`;
    expect(ask(fixed, 'out/legacy').verdict).toBe('allowed');
    const other = ask(fixed, 'out/legacy', 'shop/server', null, 9090);
    expect([other.verdict, other.decidedBy?.layer]).toEqual(['denied', 'mtls']);
  });

  it('PeerAuthentication DISABLE is ignored in ambient mode', () => {
    const disable = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: off, namespace: shop}
spec: {mtls: {mode: DISABLE}}
`;
    const e = ask(shop(disable));
    expect(e.steps.find((s) => s.layer === 'mtls')?.summary).toMatch(/DISABLE is ignored/);
    expect(e.request.clientTls).toBe('istio-mutual');
  });

  it('kubelet probes from 169.254.7.127 skip Istio policy but not NetworkPolicy', () => {
    const deny = authz('shop', 'deny-all', '{selector: {matchLabels: {app: server}}, action: DENY, rules: [{}]}');
    const e = explainOk(snapshotFromYaml(shop(deny)), { src: '169.254.7.127', dst: 'shop/server', port: 8080 });
    expect(e.verdict).toBe('allowed');
    const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: shop}
spec: {podSelector: {matchLabels: {app: server}}, policyTypes: [Ingress]}
`;
    const blocked = explainOk(snapshotFromYaml(shop(np)), { src: '169.254.7.127', dst: 'shop/server', port: 8080 });
    expect([blocked.verdict, blocked.decidedBy?.layer]).toEqual(['denied', 'networkpolicy-ingress']);
  });

  // https://istio.io/latest/docs/ambient/usage/add-workloads/ "Pods inside the mesh in sidecar mode"
  it('a sidecar client speaks HBONE to an ambient pod with its own identity, not through the waypoint', () => {
    const side = namespace('side', 'istio-injection: enabled') + deploy('side', 'app');
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {namespaces: ["side"]}}]}]}',
    );
    const e = ask(shop(side + waypoint('shop') + p, WP), 'side/app');
    expect([e.verdict, e.decidedBy?.enforcer, e.request.clientTls]).toEqual(['allowed', 'ztunnel', 'istio-mutual']);
    expect(e.steps.filter((s) => s['enforcer'] === 'waypoint').every((s) => s.verdict === 'not-applicable')).toBe(true);
  });

  it('an ambient client reaches a sidecar server over HBONE on 15008; the sidecar enforces with the client identity', () => {
    const side =
      namespace('side', 'istio-injection: enabled') +
      deploy('side', 'api') +
      service('side', 'api') +
      authz(
        'side',
        'only-client',
        '{action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
      );
    const e = ask(shop(side), 'shop/client', 'side/api');
    expect([e.verdict, e.decidedBy?.enforcer, e.steps[0]?.summary.includes('TCP 15008')]).toEqual([
      'allowed',
      'sidecar',
      true,
    ]);
  });

  it('an ambient client to a pod outside the mesh sends plaintext on the app port; no Istio layer applies', () => {
    const out = namespace('out', 'team: x') + deploy('out', 'db') + service('out', 'db');
    const e = ask(shop(out), 'shop/client', 'out/db');
    expect(e.verdict).toBe('allowed');
    expect(stepsOf(e).slice(2)).toEqual([
      'mesh@ztunnel:not-applicable',
      'mtls@ztunnel:not-applicable',
      'authz-custom@waypoint:not-applicable',
      'jwt@waypoint:not-applicable',
      'authz-deny@waypoint:not-applicable',
      'authz-allow@waypoint:not-applicable',
      'authz-deny@ztunnel:not-applicable',
      'authz-allow@ztunnel:not-applicable',
    ]);
  });

  it('steps run hops, mesh, mtls, the waypoint authz, then the ztunnel authz, every one reported', () => {
    expect(stepsOf(ask(shop(waypoint('shop'), WP)))).toEqual([
      'networkpolicy-egress:allowed',
      'networkpolicy-ingress:allowed',
      'networkpolicy-egress:allowed',
      'networkpolicy-ingress:allowed',
      'mesh@ztunnel:allowed',
      'mtls@ztunnel:allowed',
      'authz-custom@waypoint:allowed',
      'jwt@waypoint:allowed',
      'authz-deny@waypoint:allowed',
      'authz-allow@waypoint:allowed',
      'authz-deny@ztunnel:allowed',
      'authz-allow@ztunnel:allowed',
    ]);
  });

  it('ztunnel and a missing waypoint pod are assumptions; the destination is reported ambient', () => {
    const e = ask(shop(waypoint('shop'), WP));
    expect(e.assumptions.map((a) => a.code)).toEqual(
      expect.arrayContaining(['ztunnel-assumed', 'waypoint-pod-assumed']),
    );
    expect([e.destination.dataplane, e.destination.principal]).toEqual(['ambient', 'cluster.local/ns/shop/sa/server']);
  });

  it('a waypoint that cannot reach istiod denies at mesh', () => {
    const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-web-only, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: 15008, protocol: TCP}]}]
`;
    const e = ask(shop(waypoint('shop') + np, WP));
    expect([e.verdict, e.decidedBy?.layer]).toEqual(['denied', 'mesh']);
    expect(e.steps.find((s) => s.layer === 'mesh')?.summary).toMatch(/waypoint shop\/waypoint cannot reach istiod/);
  });
});

describe('the waypoint as a source', () => {
  it('speaks HBONE with its own identity straight to the destination (how ztunnel sees forwarded traffic)', () => {
    const wpPod = `---
apiVersion: v1
kind: Pod
metadata: {name: waypoint-abc, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: waypoint, istio.io/dataplane-mode: none}}
spec: {serviceAccountName: waypoint, containers: [{name: istio-proxy}]}
status: {podIP: 10.0.0.7}
`;
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const e = explainOk(snapshotFromYaml(shop(waypoint('shop') + wpPod + p, WP)), {
      src: { namespace: 'shop', kind: 'Pod', name: 'waypoint-abc' },
      dst: 'shop/server',
      port: 80,
    });
    expect([e.verdict, e.request.clientTls, e.decidedBy?.enforcer]).toEqual(['denied', 'istio-mutual', 'ztunnel']);
    expect(e.nearestMiss[0]?.clauses.find((c) => !c.ok)?.actual).toBe('cluster.local/ns/shop/sa/waypoint');
  });
});

describe('a gateway client of an ambient destination', () => {
  // ztunnel's refusal of a gateway's HBONE tunnel: 503s are reported (siutsin/otaru#3129) but no
  // source gives Envoy's flags, so the answer stays ztunnel's reset (README "Ambient mode" 2),
  // unlike a sidecar destination's TCP authz (test/engine/explain/gateway-tcp-port.test.ts)
  it('keeps connection-reset when ztunnel denies', () => {
    const gw = `---\n${ingressGatewayYaml()}\n`;
    const p = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const e = ask(shop(p) + gw, 'istio-system/gw');
    expect([e.verdict, e.decidedBy?.enforcer, e.expectedResponse.status]).toEqual([
      'denied',
      'ztunnel',
      'connection-reset',
    ]);
    expect(e.notes.join('\n')).not.toContain('503 UC');
  });
});
