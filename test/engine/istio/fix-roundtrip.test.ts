/**
 * The fix contract end to end (Snapshot builder + NetworkPolicy engine + Istio layers):
 * applying every `create` fix together makes re-explain say `allowed`.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/engine/explain.js';
import type { Explanation, ExplainQuery } from '../../../src/engine/explanation.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { rawObjects } from './helpers.js';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: app-a, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: app-b, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec:
  selector: {matchLabels: {app: istiod}}
  template:
    metadata: {labels: {app: istiod, istio: pilot}}
    spec: {containers: [{name: discovery, ports: [{containerPort: 15012}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: app-a}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {serviceAccountName: client-sa, containers: [{name: app, image: curl}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: server, namespace: app-b}
spec:
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec: {serviceAccountName: server-sa, containers: [{name: app, image: echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: app-b}
spec: {selector: {app: server}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: app-a}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: app-b}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-admin, namespace: app-b}
spec:
  selector: {matchLabels: {app: server}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/app-a/sa/admin"]}}]
`;

const query: ExplainQuery = {
  id: null,
  src: 'app-a/client',
  dst: 'app-b/server',
  port: 80,
  protocol: null,
  http: { method: 'GET', path: '/orders', host: null, headers: {} },
  mtls: null,
  jwt: null,
  extAuthz: null,
  now: null,
  resolve: {},
  namespace: null,
  cni: null,
};

function run(text: string): Explanation {
  const r = explain(snapshotFromObjects(rawObjects(text), null, 'test'), query);
  if (r.kind !== 'Explanation') throw new Error(r.message);
  return r;
}

describe('fix round trip', () => {
  it('NetworkPolicy, istiod 15012 and ALLOW fixes applied together give allowed', () => {
    const before = run(MANIFESTS);
    expect(before.verdict).toBe('denied');
    expect(before.steps.find((s) => s.layer === 'mesh')?.verdict).toBe('denied');
    expect(before.steps.find((s) => s.layer === 'authz-allow')?.verdict).toBe('denied');
    const creates = before.fix.filter((f) => f.action === 'create');
    expect(creates.map((f) => f.target.kind).sort()).toEqual([
      'AuthorizationPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
    ]);
    const after = run([MANIFESTS, ...creates.map((f) => f.yaml)].join('\n---\n'));
    expect(after.steps.map((s) => [s.layer, s.verdict])).toEqual([
      ['networkpolicy-egress', 'allowed'],
      ['networkpolicy-ingress', 'allowed'],
      ['mesh', 'allowed'],
      ['mtls', 'allowed'],
      ['authz-custom', 'allowed'],
      ['jwt', 'allowed'],
      ['authz-deny', 'allowed'],
      ['authz-allow', 'allowed'],
    ]);
    expect(after.verdict).toBe('allowed');
  });
});
