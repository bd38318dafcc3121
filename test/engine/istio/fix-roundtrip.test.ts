/**
 * The fix contract end to end (Snapshot builder + NetworkPolicy engine + Istio layers):
 * applying every `create` fix together makes re-explain say `allowed`.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/engine/explain.js';
import type { Explanation, ExplainQuery } from '../../../src/engine/explanation.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import yaml from 'js-yaml';
import { rawObjects } from './helpers.js';

/** app-b (sidecars injected), and istio-system with istiod. */
const APP_B_AND_ISTIOD = `apiVersion: v1
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
`;

/** A Deployment `name` (label app: name) serving `ports`. */
function deployment(ns: string, name: string, image: string, ports: readonly number[], sa?: string): string {
  const containerPorts = ports.length ? `, ports: [${ports.map((p) => `{containerPort: ${p}}`).join(', ')}]` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {${sa ? `serviceAccountName: ${sa}, ` : ''}containers: [{name: app, image: ${image}${containerPorts}}]}
`;
}

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: app-a, labels: {istio-injection: enabled}}
---
${APP_B_AND_ISTIOD}---
${deployment('app-a', 'client', 'curl', [], 'client-sa')}---
${deployment('app-b', 'server', 'echo', [8080], 'server-sa')}---
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

function run(text: string, q: ExplainQuery = query): Explanation {
  const r = explain(snapshotFromObjects(rawObjects(text), null, 'test'), q);
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

/**
 * A plaintext client refused by STRICT mTLS. Istio's remedies are a sidecar for the client or
 * PERMISSIVE at the server (https://istio.io/latest/docs/reference/config/security/peer_authentication/,
 * https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/); an ALLOW rule cannot
 * help, the connection is refused before authorization. The PeerAuthentication fix applied (with
 * the ALLOW fix when ALLOW policies exist) makes re-explain say `allowed`.
 */
describe('fix round trip: a plaintext client refused by STRICT mTLS', () => {
  const world = (extra: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
${APP_B_AND_ISTIOD}---
${deployment('legacy', 'client', 'curl', [])}---
${deployment('app-b', 'server', 'echo', [8080, 9090])}---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: app-b}
spec: {selector: {app: server}, ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 90, targetPort: 9090}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: app-b}
spec: {mtls: {mode: STRICT}}
${extra}`;
  const ALLOW_ADMIN = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-admin, namespace: app-b}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{from: [{source: {principals: ["cluster.local/ns/app-a/sa/admin"]}}]}]
`;
  const WORKLOAD_STRICT = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: server-strict, namespace: app-b}
spec: {selector: {matchLabels: {app: server}}, mtls: {mode: STRICT}}
`;
  const src = (q: Partial<ExplainQuery>) => (text: string) => run(text, { ...query, src: 'legacy/client', ...q });
  const key = (o: Record<string, unknown>) => {
    const m = o['metadata'] as { name?: string; namespace?: string } | undefined;
    return `${String(o['kind'])}/${m?.namespace ?? ''}/${m?.name ?? ''}`;
  };
  /** `kubectl apply` of every create and patch fix: a fix's object replaces the one of the same kind and name. */
  const applied = (text: string, e: Explanation) => {
    const fixes = e.fix.filter((f) => f.action !== 'manual').map((f) => yaml.load(f.yaml) as Record<string, unknown>);
    const replaced = new Set(fixes.map(key));
    const kept = rawObjects(text)
      .map((r) => r.object)
      .filter((o) => !replaced.has(key(o)));
    return [...kept, ...fixes].map((o) => yaml.dump(o)).join('---\n');
  };

  it.each([
    ['no ALLOW policy: the PeerAuthentication alone', '', ['create PeerAuthentication']],
    [
      'an ALLOW policy for another principal: with the ALLOW fix',
      ALLOW_ADMIN,
      ['create PeerAuthentication', 'create AuthorizationPolicy'],
    ],
    [
      'a workload-level STRICT policy: that one is patched (a second one would lose to it)',
      WORKLOAD_STRICT,
      ['patch PeerAuthentication'],
    ],
  ])('%s', (_, extra, actions) => {
    const ask = src({});
    const before = ask(world(extra));
    expect([before.verdict, before.decidedBy?.layer]).toEqual(['denied', 'mtls']);
    expect(before.fix.map((f) => `${f.action} ${f.target.kind}`)).toEqual(actions);
    const after = ask(applied(world(extra), before));
    expect(after.steps.find((s) => s.layer === 'mtls')?.summary).toMatch(/^plaintext accepted: server mode PERMISSIVE/);
    expect(after.verdict).toBe('allowed');
    // only the refused port opens: the other port of the workload stays STRICT
    const other = src({ port: 90 })(applied(world(extra), before));
    expect([other.verdict, other.decidedBy?.layer]).toEqual(['denied', 'mtls']);
  });

  it('the PeerAuthentication is the reference example: selector, mtls UNSET, the workload port PERMISSIVE', () => {
    const before = src({})(world(''));
    expect(yaml.load(before.fix[0]?.yaml ?? '')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'server-permissive-8080', namespace: 'app-b' },
      spec: {
        selector: { matchLabels: { app: 'server' } },
        mtls: { mode: 'UNSET' },
        portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
      },
    });
  });

  it('a client outside the cluster gets the same fix', () => {
    const ask = src({ src: '203.0.113.9' });
    const before = ask(world(''));
    expect(before.fix.map((f) => `${f.action} ${f.target.kind}`)).toEqual(['create PeerAuthentication']);
    expect(ask(applied(world(''), before)).verdict).toBe('allowed');
  });
});
