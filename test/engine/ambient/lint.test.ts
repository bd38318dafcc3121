import { describe, expect, it } from 'vitest';
import { lintAmbient } from '../../../src/engine/ambient/lint.js';
import { lintIstio } from '../../../src/engine/istio/lint.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, deploy, namespace, service, shop, waypoint } from './world.js';

const codes = (yaml: string): string[] => lintAmbient(snapshotFromYaml(yaml)).map((f) => f.code);
const netpol = (spec: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: shop}
spec: ${spec}
`;

describe('ambient lint', () => {
  // https://istio.io/latest/docs/ambient/usage/l4-policy/ "Layer 7 authorization policies without waypoints installed"
  it('an L7 policy bound to ztunnel', () => {
    const p = authz(
      'shop',
      'get',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{to: [{operation: {paths: ["/a"]}}]}]}',
    );
    expect(codes(shop(p))).toContain('ambient-l7-on-ztunnel');
    expect(
      codes(shop(authz('shop', 'l4', '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{}]}'))),
    ).not.toContain('ambient-l7-on-ztunnel');
  });

  it('use-waypoint naming a missing waypoint (namespace and Service)', () => {
    expect(codes(shop('', 'istio.io/use-waypoint: nope'))).toContain('waypoint-missing');
    const ns =
      namespace('shop', 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: nope') + deploy('shop', 'server');
    expect(codes(ns)).toEqual(['waypoint-missing']);
    expect(codes(shop(waypoint('shop'), 'istio.io/use-waypoint: waypoint'))).not.toContain('waypoint-missing');
  });

  it("a waypointed workload whose L4 policy does not admit the waypoint's identity", () => {
    const onlyClient = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]}',
    );
    expect(codes(shop(waypoint('shop') + onlyClient, 'istio.io/use-waypoint: waypoint'))).toContain(
      'waypoint-not-admitted',
    );
    const withWaypoint = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/waypoint"]}}]}]}',
    );
    expect(codes(shop(waypoint('shop') + withWaypoint, 'istio.io/use-waypoint: waypoint'))).not.toContain(
      'waypoint-not-admitted',
    );
  });

  // https://istio.io/latest/docs/ambient/usage/networkpolicy/
  it('a NetworkPolicy admitting the app port only blocks HBONE 15008', () => {
    expect(
      codes(shop(netpol('{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 8080}]}]}'))),
    ).toContain('hbone-port-blocked');
    expect(
      codes(
        shop(netpol('{podSelector: {matchLabels: {app: server}}, ingress: [{ports: [{port: 8080}, {port: 15008}]}]}')),
      ),
    ).not.toContain('hbone-port-blocked');
  });

  it('a deny-ingress NetworkPolicy blocks probes from 169.254.7.127 unless an ipBlock admits them', () => {
    expect(codes(shop(netpol('{podSelector: {matchLabels: {app: server}}, policyTypes: [Ingress]}')))).toContain(
      'probe-source-blocked',
    );
    expect(
      codes(
        shop(
          netpol(
            '{podSelector: {matchLabels: {app: server}}, ingress: [{from: [{ipBlock: {cidr: 169.254.7.127/32}}]}]}',
          ),
        ),
      ),
    ).not.toContain('probe-source-blocked');
  });

  it('ambient and sidecar both requested on one pod', () => {
    const yaml = namespace('both', 'istio.io/dataplane-mode: ambient, istio-injection: enabled') + deploy('both', 'x');
    expect(codes(yaml)).toEqual(['ambient-and-sidecar']);
  });

  it('a CUSTOM policy selecting an ambient pod never reaches ztunnel', () => {
    const p = authz(
      'shop',
      'ext',
      '{selector: {matchLabels: {app: server}}, action: CUSTOM, provider: {name: x}, rules: [{}]}',
    );
    expect(codes(shop(p))).toContain('ztunnel-unsupported-action');
  });

  it("no sidecar-only warning for a Service targetRef the waypoint enforces, nor for the waypoint's service account", () => {
    const l7 = authz(
      'shop',
      'v',
      '{targetRefs: [{kind: Service, group: "", name: server}], action: ALLOW, rules: [{}]}',
    );
    const l4 = authz(
      'shop',
      'l4',
      '{selector: {matchLabels: {app: server}}, action: ALLOW, rules: [{from: [{source: {serviceAccounts: ["waypoint"]}}]}]}',
    );
    const found = lintIstio(snapshotFromYaml(shop(waypoint('shop') + l7 + l4, 'istio.io/use-waypoint: waypoint'))).map(
      (f) => f.code,
    );
    expect(found).not.toContain('targetref-waypoint-only');
    expect(found).not.toContain('unknown-rule-service-account');
    expect(
      lintIstio(
        snapshotFromYaml(
          namespace('x', 'a: b') + deploy('x', 'server') + service('x', 'server') + l7.replace('shop', 'x'),
        ),
      ).map((f) => f.code),
    ).toContain('targetref-waypoint-only');
  });
});
