/**
 * A gateway routes an HTTP request to a Service port declared TCP: the destination's sidecar runs a
 * TCP chain there, where a DENY rule with only HTTP fields denies every connection (istio/istio
 * pilot/pkg/security/authz/builder testdata/tcp/deny-both-http-tcp-out.yaml), and the gateway answers
 * its own `503 UC upstream_reset_before_response_started{connection_termination}` (istio/istio#40584,
 * its gateway and destination access log lines are in test/fixtures/logs/real; istio.io
 * docs/ops/common-problems/security-issues: "connection termination can indicate an authorization
 * policy with HTTP only fields applied to TCP traffic"). A sidecar client sees the port as TCP too,
 * so its connection is reset.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { ingressGatewayYaml } from '../../helpers/pod-yaml.js';
import type { Explanation } from '../../../src/engine/explanation.js';

// the policy (namespace dev, selector serviceName: ts) and port 12417; the port name is ours
const MANIFESTS = (portName: string, networkPolicy = ''): string => `
apiVersion: v1
kind: Namespace
metadata: {name: dev, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
${ingressGatewayYaml('istio-ingressgateway', 'istio-system', 'app: istio-ingressgateway')}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ts, namespace: dev}
spec:
  template:
    metadata: {labels: {serviceName: ts}}
    spec: {containers: [{name: ts, ports: [{containerPort: 12417}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: dev}
spec:
  template:
    metadata: {labels: {app: sleep}}
    spec: {containers: [{name: sleep}]}
---
apiVersion: v1
kind: Service
metadata: {name: ts, namespace: dev}
spec: {selector: {serviceName: ts}, ports: [{name: ${portName}, port: 12417}]}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ts-776dd07e, namespace: dev}
spec:
  action: DENY
  rules:
  - to:
    - operation:
        methods: [GET, POST]
        paths: [/hello, /hello2]
  selector:
    matchLabels: {serviceName: ts}
${networkPolicy}`;

const DENY_INGRESS = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: dev}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const run = (yaml: string, src: string, http = true): Explanation =>
  explainOk(snapshotFromYaml(yaml), {
    src,
    dst: 'dev/ts',
    port: 12417,
    http: http ? { method: 'GET', path: '/hello', host: null, headers: {} } : null,
  });

const GATEWAY = 'istio-system/istio-ingressgateway';
const RULE = 'ns[dev]-policy[ts-776dd07e]-rule[0]';

describe('a gateway sending HTTP to a port the destination treats as TCP', () => {
  it("answers 503 UC when the destination's TCP authz closes the connection (istio/istio#40584)", () => {
    const e = run(MANIFESTS('tcp-ts'), GATEWAY);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy?.layer).toBe('authz-deny');
    expect(e.decidedBy?.policy?.ruleRef).toBe(RULE);
    expect(e.expectedResponse).toEqual({
      status: 503,
      body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      flags: 'UC',
      details: 'upstream_reset_before_response_started{connection_termination}',
    });
    expect(e.notes.join('\n')).toContain(`the destination's proxy logs rbac_access_denied_matched_policy[${RULE}]`);
  });

  it('a sidecar client sees the same port as TCP: its connection is reset', () => {
    const e = run(MANIFESTS('tcp-ts'), 'dev/sleep');
    expect(e.decidedBy?.policy?.ruleRef).toBe(RULE);
    expect(e.expectedResponse.status).toBe('connection-reset');
    expect(e.notes.join('\n')).not.toContain('503 UC');
  });

  it('a gateway connection without HTTP fields is plain TCP: reset', () => {
    expect(run(MANIFESTS('tcp-ts'), GATEWAY, false).expectedResponse.status).toBe('connection-reset');
  });

  it('on a port declared HTTP the destination answers 403 itself', () => {
    const e = run(MANIFESTS('http-ts'), GATEWAY);
    expect(e.expectedResponse).toMatchObject({ status: 403, body: 'RBAC: access denied' });
  });

  it('a NetworkPolicy drop of that upstream connection is the gateway 503 after its connect retries', () => {
    const e = run(MANIFESTS('tcp-ts', DENY_INGRESS), GATEWAY);
    expect(e.decidedBy?.layer).toBe('networkpolicy-ingress');
    expect(e.expectedResponse).toMatchObject({ status: 503, flags: 'URX,UF' });
  });
});
