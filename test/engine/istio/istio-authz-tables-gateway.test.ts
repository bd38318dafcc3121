/**
 * istio/istio's own authorization integration cases through the ingress gateway:
 * TestAuthz_IngressGateway (a DENY policy on the gateway: hosts ignoring case, prefix/suffix
 * hosts, paths, remoteIpBlocks/notRemoteIpBlocks and remote.ip from X-Forwarded-For) and
 * TestAuthz_NotHost (notHosts on the workload behind the gateway). Source:
 * istio/istio:tests/integration/security/authz_test.go, testdata/authz/ingress-gateway.yaml.tmpl
 * and not-host.yaml.tmpl (commit ISTIO_COMMIT). The suite installs Istio with
 * meshConfig.defaultConfig.gatewayTopology.numTrustedProxies: 1 (tests/integration/security/main_test.go),
 * and the calls come from outside the cluster with `X-Forwarded-For: <ip>` when the case has an ip.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { echoWorld, ISTIO_COMMIT, policy } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:tests/integration/security/authz_test.go`;

const MESH = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    defaultConfig:
      gatewayTopology:
        numTrustedProxies: 1
`;

const GATEWAY = `---
apiVersion: v1
kind: Pod
metadata:
  name: istio-ingressgateway-0
  namespace: istio-system
  labels: {app: istio-ingressgateway, istio: ingressgateway}
spec:
  serviceAccountName: istio-ingressgateway-service-account
  containers: [{name: istio-proxy, ports: [{containerPort: 8080}]}]
status: {podIP: 10.244.0.50}
`;

const ingressDeny = policy(
  'istio-system',
  'AuthorizationPolicy',
  'policy-b',
  `{action: DENY, selector: {matchLabels: {app: istio-ingressgateway}}, rules: [
  {to: [{operation: {hosts: ["deny.b.com", "*.suffix.b.com", "prefix.b.*"]}}]},
  {to: [{operation: {hosts: ["internal.b.com"]}}, {operation: {paths: ["/private"]}}]},
  {from: [{source: {remoteIpBlocks: ["172.17.72.46", "192.168.4.0/23"]}}], to: [{operation: {hosts: ["remoteipblocks.b.com"]}}]},
  {from: [{source: {notRemoteIpBlocks: ["172.23.240.0/22"]}}], to: [{operation: {hosts: ["notremoteipblocks.b.com"]}}]},
  {to: [{operation: {hosts: ["remoteipattr.b.com"]}}], when: [{key: remote.ip, values: ["10.242.5.7", "10.124.99.0/24"]}]}]}`,
);

/** [host, path, X-Forwarded-For ip, allow] as TestAuthz_IngressGateway lists them (the Service is b) */
const INGRESS: readonly (readonly [string, string, string, boolean])[] = [
  ['deny.b.com', '', '', false],
  ['DENY.B.COM', '', '', false],
  ['Deny.b.Com', '', '', false],
  ['deny.suffix.b.com', '', '', false],
  ['DENY.SUFFIX.B.COM', '', '', false],
  ['Deny.Suffix.b.Com', '', '', false],
  ['prefix.b.com', '', '', false],
  ['PREFIX.B.COM', '', '', false],
  ['Prefix.b.Com', '', '', false],
  ['www.b.com', '/', '172.16.0.1', true],
  ['www.b.com', '/private', '172.16.0.1', false],
  ['www.b.com', '/public', '172.16.0.1', true],
  ['internal.b.com', '/', '172.16.0.1', false],
  ['internal.b.com', '/private', '172.16.0.1', false],
  ['remoteipblocks.b.com', '/', '172.17.72.46', false],
  ['remoteipblocks.b.com', '/', '192.168.5.233', false],
  ['remoteipblocks.b.com', '/', '10.4.5.6', true],
  ['notremoteipblocks.b.com', '/', '10.2.3.4', false],
  ['notremoteipblocks.b.com', '/', '172.23.242.188', true],
  ['remoteipattr.b.com', '/', '10.242.5.7', false],
  ['remoteipattr.b.com', '/', '10.124.99.10', false],
  ['remoteipattr.b.com', '/', '10.4.5.6', true],
];

describe(`${SRC} TestAuthz_IngressGateway`, () => {
  const snapshot = snapshotFromYaml(echoWorld() + MESH + GATEWAY + ingressDeny);
  it.each(INGRESS)('Host %s path %s XFF %s => allow %s', (host, path, ip, allow) => {
    const e = explainOk(snapshot, {
      src: '198.51.100.7',
      dst: 'istio-system/istio-ingressgateway-0',
      port: 8080,
      http: { method: 'GET', path: path || '/', host, headers: ip ? { 'x-forwarded-for': ip } : {} },
    });
    expect(e.verdict).toBe(allow ? 'allowed' : 'denied');
  });
});

describe(`${SRC} TestAuthz_NotHost`, () => {
  const notHost = policy(
    'ns1',
    'AuthorizationPolicy',
    'allow-b',
    '{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notHosts: ["deny.b.com"]}}]}]}',
  );
  const snapshot = snapshotFromYaml(echoWorld() + MESH + GATEWAY + notHost);
  // the gateway routes *.b.com to b.ns1 port http (VirtualService), keeping the Host header
  it.each([
    ['allow.b.com', true],
    ['deny.b.com', false],
  ] as const)('Host %s => allow %s', (host, allow) => {
    const e = explainOk(snapshot, {
      src: 'istio-system/istio-ingressgateway-0',
      dst: 'ns1/b',
      port: 80,
      http: { method: 'GET', path: '/', host, headers: {} },
    });
    expect(e.verdict).toBe(allow ? 'allowed' : 'denied');
  });
});
