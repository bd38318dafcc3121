/**
 * AuthorizationPolicy `hosts`/`notHosts` on an ingress gateway: matched against `:authority` as sent,
 * ignoring case, port included (istio/istio:pilot/pkg/security/authz/matcher/header.go HostMatcher;
 * the JWT-per-host example https://istio.io/latest/docs/ops/configuration/security/security-policy-examples/
 * uses hosts: ["example.com", "*.example.com"] on the ingress gateway).
 */
import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { flow, pod, reachAll, snapshotOf } from './helpers.js';

const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: hosts, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: ALLOW
  rules:
  - to: [{operation: {hosts: ["example.com", "*.example.com", "admin.example.org:*"], notHosts: ["blocked.example.com"]}}]
`;
const gw = pod('istio-system', 'istio-ingressgateway', { labels: { istio: 'ingressgateway' } });
const client = pod('web', 'client');
const allow = (host: string) =>
  evaluateIstioLayers(
    snapshotOf({ pods: [gw, client], istio: POLICY }),
    flow(client, gw, { port: 8080, method: 'GET', path: '/', host }),
    reachAll,
  ).steps.find((s) => s.layer === 'authz-allow')?.verdict;

describe('gateway AuthorizationPolicy hosts', () => {
  it.each([
    ['example.com', 'allowed'],
    ['EXAMPLE.Com', 'allowed'],
    ['example.com:443', 'denied'],
    ['api.example.com', 'allowed'],
    ['API.EXAMPLE.COM', 'allowed'],
    ['api.example.com:8443', 'denied'],
    ['blocked.example.com', 'denied'],
    ['Blocked.Example.com', 'denied'],
    ['admin.example.org:8443', 'allowed'],
    ['admin.example.org', 'denied'],
    ['other.org', 'denied'],
  ])('Host %s -> %s', (host, want) => {
    expect(allow(host)).toBe(want);
  });
});
