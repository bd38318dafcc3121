import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { explain } from '../../../src/engine/explain.js';
import { ingressGatewayYaml } from '../../helpers/pod-yaml.js';
import type { ExplainQuery, Explanation } from '../../../src/engine/explanation.js';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
${ingressGatewayYaml()}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: httpbin, namespace: apps}
spec:
  template:
    metadata: {labels: {app: httpbin}}
    spec: {containers: [{name: httpbin, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: apps}
spec: {selector: {app: httpbin}, ports: [{name: http, port: 8000, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: apps}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const VIRTUAL_SERVICE = `
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: httpbin, namespace: apps}
spec:
  hosts: ["*"]
  gateways: [kyma-system/kyma-gateway]
  http:
  - route: [{destination: {host: httpbin.apps.svc.cluster.local, port: {number: 8000}}}]
    timeout: 5s
`;

function run(yaml: string, cni: ExplainQuery['cni'] = null): Explanation {
  const snapshot = snapshotFromObjects(parseManifestText('t.yaml', yaml).objects, null, 'test');
  const result = explain(snapshot, {
    id: null,
    src: 'istio-system/gw',
    dst: 'apps/httpbin',
    port: 8000,
    protocol: null,
    http: { method: 'GET', path: '/status/200', host: null, headers: {} },
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    namespace: null,
    cni,
  });
  if (result.kind === 'Error') throw new Error(result.message);
  return result;
}

describe('what a gateway client sees when a NetworkPolicy drops its upstream connection', () => {
  it('is 503 after the connect retries when no route timeout is set', () => {
    const e = run(MANIFESTS);
    expect(e.verdict).toBe('denied');
    expect(e.expectedResponse).toMatchObject({
      status: 503,
      flags: 'URX,UF',
      details: 'upstream_reset_before_response_started{connection_timeout}',
    });
  });

  it('is 504 "upstream request timeout" when the VirtualService timeout fires first (seed 003)', () => {
    const e = run(MANIFESTS + VIRTUAL_SERVICE);
    expect(e.expectedResponse).toMatchObject({ status: 504, body: 'upstream request timeout', flags: 'UT' });
  });

  it('stays a fast 503 "connection refused" under kube-router, whose REJECT beats any timeout', () => {
    const e = run(MANIFESTS + VIRTUAL_SERVICE, 'kube-router');
    expect(e.expectedResponse.status).toBe(503);
    expect(e.expectedResponse.body).toContain('Connection refused');
  });
});
