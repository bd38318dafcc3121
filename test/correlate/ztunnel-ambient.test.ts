import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/correlator.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import { ztunnelAccessLine } from '../../src/sources/demo/ztunnel-lines.js';
import { snapshotFromYaml } from '../helpers/snapshot.js';
import type { Explanation } from '../../src/engine/explanation.js';
import { authz, shop, waypoint } from '../engine/ambient/world.js';

const pods = `---
apiVersion: v1
kind: Pod
metadata: {name: client-1, namespace: shop, labels: {app: client}}
spec: {serviceAccountName: client, containers: [{name: app}]}
status: {podIP: 10.0.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: server-1, namespace: shop, labels: {app: server}}
spec: {serviceAccountName: server, containers: [{name: app, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.9}
---
apiVersion: v1
kind: Pod
metadata: {name: waypoint-1, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: waypoint, istio.io/dataplane-mode: none}}
spec: {serviceAccountName: waypoint, containers: [{name: istio-proxy}]}
status: {podIP: 10.0.0.7}
`;

function denialsOf(yaml: string, line: string) {
  const parser = createLogParser();
  const events = [...parser.push(`[pod/ztunnel-x1/istio-proxy] ${line}`), ...parser.end()];
  return correlate(events, snapshotFromYaml(yaml));
}

// line format: istio/ztunnel src/proxy/metrics.rs + src/telemetry.rs (see src/sources/demo/ztunnel-lines.ts)
const base = {
  time: '2026-11-20T10:00:00.000000Z',
  hboneAddr: '10.0.0.9:8080',
  service: 'server.shop.svc.cluster.local',
  direction: 'inbound' as const,
  bytesSent: 0,
  bytesRecv: 0,
  durationMs: 0,
  dst: {
    ip: '10.0.0.9',
    port: 15008,
    workload: 'server-1',
    namespace: 'shop',
    identity: 'spiffe://cluster.local/ns/shop/sa/server',
  },
};

describe('ztunnel denials tied to the ambient policy in the Snapshot', () => {
  it('an explicit DENY named by ztunnel gets its rule from the engine; the ruleRef stays AuthorizationPolicy:NS/NAME', () => {
    const deny = authz(
      'shop',
      'no-client',
      '{selector: {matchLabels: {app: server}}, action: DENY, rules: [{from: [{source: {namespaces: ["other"]}}]}, {from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const line = ztunnelAccessLine({
      ...base,
      src: {
        ip: '10.0.0.5',
        port: 40000,
        workload: 'client-1',
        namespace: 'shop',
        identity: 'spiffe://cluster.local/ns/shop/sa/client',
      },
      error: 'connection closed due to policy rejection: explicitly denied by: shop/no-client',
    });
    const [d] = denialsOf(shop(pods + deny), line);
    expect([d?.reporter?.kind, d?.layer, d?.policy?.name, d?.policy?.rule, d?.ruleRef]).toEqual([
      'ztunnel',
      'authz-deny',
      'no-client',
      1,
      'AuthorizationPolicy:shop/no-client',
    ]);
  });

  it("an allow miss behind a waypoint shows the waypoint's identity as the nearest miss", () => {
    const l4 = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    const line = ztunnelAccessLine({
      ...base,
      src: {
        ip: '10.0.0.7',
        port: 40000,
        workload: 'waypoint-1',
        namespace: 'shop',
        identity: 'spiffe://cluster.local/ns/shop/sa/waypoint',
      },
      error: 'connection closed due to policy rejection: allow policies exist, but none allowed',
    });
    const [d] = denialsOf(shop(pods + waypoint('shop') + l4, 'istio.io/use-waypoint: waypoint'), line);
    expect((d?.explanation as Explanation | undefined)?.decidedBy?.enforcer).toBe('ztunnel');
    expect(d?.nearestMiss[0]?.clauses.find((c) => !c.ok)?.actual).toBe('cluster.local/ns/shop/sa/waypoint');
  });

  it("istiod's static STRICT policy named by ztunnel is the mtls layer, tied to the PeerAuthentication", () => {
    const strict = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: shop}
spec: {mtls: {mode: STRICT}}
`;
    const line = ztunnelAccessLine({
      ...base,
      hboneAddr: null,
      dst: { ...base.dst, port: 8080, identity: null },
      src: { ip: '10.0.0.5', port: 40000, workload: 'client-1', namespace: 'shop', identity: null },
      error:
        'connection closed due to policy rejection: explicitly denied by: istio-system/istio_converted_static_strict',
    });
    const [d] = denialsOf(shop(pods + strict), line);
    expect([d?.layer, d?.policy?.kind, d?.policy?.name]).toEqual(['mtls', 'PeerAuthentication', 'strict']);
  });
});
