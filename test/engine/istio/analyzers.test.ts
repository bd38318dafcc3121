/** Where meshdbg's analyzers read more than Istio's (workload templates, the root namespace); Istio's own cases are in analyzers-istio-testdata.test.ts. */
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../../src/commands/lint.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const codes = (yaml: string) => {
  const s = snapshotFromYaml(yaml);
  return lintFindings(s, s.findings).map((f) => f.code);
};

const ns = (name: string, labels = '{}') =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n---\n`;
const deployment = (namespace: string, name: string, labels: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: app, image: app}]}\n---\n`;

describe('IST0127 no-matching-workloads', () => {
  const ap = `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}}\n`;

  it('a workload template the injector would inject counts as an in-mesh pod (Istio reads Pods only)', () => {
    expect(
      codes(ns('shop', '{istio-injection: enabled}') + deployment('shop', 'web', '{app: web}') + ap),
    ).not.toContain('no-matching-workloads');
  });

  it('a template outside the mesh does not', () => {
    expect(codes(ns('shop') + deployment('shop', 'web', '{app: web}') + ap)).toContain('no-matching-workloads');
  });
});

describe('IST0149 jwt-claim-route-without-requestauthn', () => {
  const gateway = `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: edge}\nspec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}\n---\n`;
  const vs = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: edge}\nspec:\n  hosts: ["*"]\n  gateways: [gw]\n  http: [{match: [{headers: {"@request.auth.claims[group]": {exact: admin}}}], route: [{destination: {host: web}}]}]\n---\n`;
  const ra = (namespace: string) =>
    `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt, namespace: ${namespace}}\nspec: {selector: {matchLabels: {istio: ingressgateway}}, jwtRules: [{issuer: "https://idp.example"}]}\n---\n`;
  const base = gateway + vs + deployment('edge', 'ingress', '{istio: ingressgateway}');

  it('reports the gateway Deployment when no RequestAuthentication selects it', () => {
    expect(codes(base)).toContain('jwt-claim-route-without-requestauthn');
  });

  it('a RequestAuthentication in the gateway namespace or the root namespace is enough', () => {
    expect(codes(base + ra('edge'))).not.toContain('jwt-claim-route-without-requestauthn');
    expect(codes(base + ra('istio-system'))).not.toContain('jwt-claim-route-without-requestauthn');
  });
});
