/** The seed scenarios through the Istio layers (seeds 002 and 004; errata applied per DESIGN). */
import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { authzCheckRows } from '../../../src/engine/istio/authz-check.js';
import { flow, pod, reachAll, service, snapshotOf } from './helpers.js';

const POC = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: poc-mesh}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: namespace-deny-all, namespace: poc-mesh}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: backend-allow-frontend-read, namespace: poc-mesh}
spec:
  selector: {matchLabels: {app: backend}}
  action: ALLOW
  rules:
  - from: [{source: {principals: ["cluster.local/ns/poc-mesh/sa/frontend-sa"]}}]
    to: [{operation: {methods: ["GET"], paths: ["/api/orders", "/health"]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: backend-deny-payments-example, namespace: poc-mesh}
spec:
  selector: {matchLabels: {app: backend}}
  action: DENY
  rules:
  - from: [{source: {principals: ["cluster.local/ns/poc-mesh/sa/payments-sa"]}}]
`;

describe('seed 002: poc-mesh (STRICT mTLS, deny-by-default, service-account ALLOW)', () => {
  const frontend = pod('poc-mesh', 'frontend', { sa: 'frontend-sa', ip: '10.1.0.1' });
  const payments = pod('poc-mesh', 'payments', { sa: 'payments-sa', ip: '10.1.0.2' });
  const backend = pod('poc-mesh', 'backend', { sa: 'backend-sa', ip: '10.1.0.3' });
  const svc = service('poc-mesh', 'backend', [{ name: 'http', port: 80, targetPort: 8080 }]);
  const snap = snapshotOf({ pods: [frontend, payments, backend], services: [svc], istio: POC });
  const to = (src: typeof frontend, method: string, path: string) =>
    evaluateIstioLayers(
      snap,
      flow(src, backend, { service: svc, servicePort: 80, port: 8080, appProtocol: 'http', method, path }),
      reachAll,
    );

  it('returns exactly the six Istio layers in traffic order', () => {
    expect(to(frontend, 'GET', '/api/orders').steps.map((s) => s.layer)).toEqual([
      'mesh',
      'mtls',
      'authz-custom',
      'jwt',
      'authz-deny',
      'authz-allow',
    ]);
  });

  it('frontend GET /api/orders: mTLS, allowed by backend-allow-frontend-read rule 0', () => {
    const r = to(frontend, 'GET', '/api/orders');
    expect(r.clientTls).toBe('istio-mutual');
    expect(r.steps.map((s) => s.verdict)).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed']);
    expect(r.steps[1]).toMatchObject({ serverMode: 'STRICT' });
    expect(r.steps[5]?.policies[0]).toMatchObject({
      name: 'backend-allow-frontend-read',
      rule: 0,
      ruleRef: 'ns[poc-mesh]-policy[backend-allow-frontend-read]-rule[0]',
      effect: 'allowed',
    });
    expect(r.expectedResponse).toBeNull();
  });

  it('frontend POST /api/orders: no ALLOW rule matches -> 403 matched policy none, method named in the nearest miss', () => {
    const r = to(frontend, 'POST', '/api/orders');
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.expectedResponse).toEqual({
      status: 403,
      body: 'RBAC: access denied',
      flags: null,
      details: 'rbac_access_denied_matched_policy[none]',
    });
    expect(r.nearestMiss[0]?.policy.ruleRef).toBe('ns[poc-mesh]-policy[backend-allow-frontend-read]-rule[0]');
    expect(r.nearestMiss[0]?.clauses.filter((c) => !c.ok)).toEqual([
      { field: 'to[0].operation.methods', ok: false, expected: ['GET'], actual: 'POST' },
    ]);
    expect(r.nearestMiss[1]?.policy.name).toBe('namespace-deny-all');
  });

  it('payments GET: the DENY rule decides before ALLOW, with its Envoy id in the details', () => {
    const r = to(payments, 'GET', '/api/orders');
    expect(r.steps[4]).toMatchObject({
      verdict: 'denied',
      policies: [{ ruleRef: 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]', rule: 0 }],
    });
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.expectedResponse?.details).toBe(
      'rbac_access_denied_matched_policy[ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]]',
    );
  });

  it('the ALLOW fix, applied, makes the flow allowed', () => {
    const r = to(frontend, 'POST', '/api/orders');
    const allowFix = r.fix.find((f) => f.action === 'create' && f.target.kind === 'AuthorizationPolicy');
    expect(allowFix?.yaml).toContain('cluster.local/ns/poc-mesh/sa/frontend-sa');
    const patched = snapshotOf({
      pods: [frontend, payments, backend],
      services: [svc],
      istio: `${POC}\n---\n${allowFix?.yaml ?? ''}`,
    });
    const again = evaluateIstioLayers(
      patched,
      flow(frontend, backend, {
        service: svc,
        servicePort: 80,
        port: 8080,
        appProtocol: 'http',
        method: 'POST',
        path: '/api/orders',
      }),
      reachAll,
    );
    expect(again.steps.every((s) => s.verdict === 'allowed')).toBe(true);
  });

  it('a client without sidecar is refused by STRICT: connection reset, nothing later matters', () => {
    const legacy = pod('legacy', 'sleep', { sidecar: false, ip: '10.2.0.1' });
    const s = snapshotOf({ pods: [frontend, backend, legacy], services: [svc], istio: POC });
    const r = evaluateIstioLayers(
      s,
      flow(legacy, backend, {
        service: svc,
        servicePort: 80,
        port: 8080,
        appProtocol: 'http',
        method: 'GET',
        path: '/health',
      }),
      reachAll,
    );
    expect(r.clientTls).toBe('plaintext');
    expect(r.steps[1]).toMatchObject({ verdict: 'denied', serverMode: 'STRICT' });
    expect(r.expectedResponse).toEqual({ status: 'connection-reset', body: null, flags: null, details: null });
    expect(r.steps[0]?.summary).toMatch(/destination sidecar reaches istiod/);
  });
});

const NP_TEST = `
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: deny-all-ingress-using-authorizationpolicy, namespace: np-test-2}
spec:
  action: DENY
  rules:
  - {}
`;

describe('seed 004: DENY rules [{}] in np-test-2', () => {
  const n1 = pod('np-test-1', 'np-test-nginx-1', { ports: [80] });
  const n2 = pod('np-test-2', 'np-test-nginx-2', { ports: [80] });
  const svc2 = service('np-test-2', 'svc-np-test-nginx-2', [{ name: 'http-web', port: 80, targetPort: 80 }], {
    app: 'np-test-nginx-2',
  });
  const snap = snapshotOf({ pods: [n1, n2], services: [svc2], istio: NP_TEST });

  it('nginx-1 -> nginx-2 is denied by rule 0 with the verbatim detail of the post', () => {
    const r = evaluateIstioLayers(
      snap,
      flow(n1, n2, { service: svc2, servicePort: 80, port: 80, appProtocol: 'http', method: 'GET', path: '/' }),
      reachAll,
    );
    expect(r.steps[4]?.verdict).toBe('denied');
    expect(r.expectedResponse?.details).toBe(
      'rbac_access_denied_matched_policy[ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]]',
    );
    expect(r.fix.find((f) => f.action === 'manual')?.why).toMatch(/DENY rule/);
  });

  it('nginx-2 -> nginx-1 is allowed', () => {
    const r = evaluateIstioLayers(snap, flow(n2, n1, { port: 80, method: 'GET', path: '/' }), reachAll);
    expect(r.steps.every((s) => s.verdict === 'allowed')).toBe(true);
  });

  it('authz check lists the DENY row the post should have shown (erratum)', () => {
    expect(authzCheckRows(snap, n2)).toEqual([
      { action: 'DENY', name: 'deny-all-ingress-using-authorizationpolicy.np-test-2', rules: 1 },
    ]);
    expect(authzCheckRows(snap, n1)).toEqual([]);
  });

  it('on a TCP port the same DENY closes the connection instead of answering 403', () => {
    const r = evaluateIstioLayers(snap, flow(n1, n2, { port: 80, appProtocol: 'tcp' }), reachAll);
    expect(r.expectedResponse).toMatchObject({
      status: 'connection-reset',
      details:
        'rbac_access_denied_matched_policy[ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]]',
    });
  });
});
