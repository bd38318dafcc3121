import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml, type QueryInput } from '../helpers/snapshot.js';
import { LAYERS, type Explanation } from '../../src/engine/explanation.js';

const WORLD = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Namespace
metadata: {name: b}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: app}]}
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {containers: [{name: app, ports: [{name: web, containerPort: 8080}]}]}
status: {podIP: 10.2.0.1}
---
`;

const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-out, namespace: a}
spec: {podSelector: {}, policyTypes: [Egress]}
---
`;
const DENY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in, namespace: b}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
`;
const ALLOW_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-a, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}}]
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}}]
    ports: [{port: web}]
---
`;

const Q: QueryInput = { src: 'a/client', dst: 'b/server', port: 8080 };
const run = (policies: string, q: QueryInput = Q): Explanation => explainOk(snapshotFromYaml(WORLD + policies), q);
const step = (e: Explanation, layer: string) => e.steps.find((s) => s.layer === layer);

describe('every layer is reported', () => {
  it.each([
    ['an allowed flow', ''],
    ['a flow denied at egress', DENY_EGRESS],
  ])('%s lists all layers in traffic order', (_name, policies) => {
    expect(run(policies).steps.map((s) => s.layer)).toEqual([...LAYERS]);
  });

  it('layers after the first denial are effective: false, the ones up to it true', () => {
    const e = run(DENY_EGRESS + DENY_INGRESS);
    expect(e.steps.map((s) => s.effective)).toEqual([true, false, false, false, false, false, false, false]);
    expect(step(e, 'networkpolicy-ingress')?.verdict).toBe('denied');
  });

  it('a later layer is still evaluated after a denial ("after you fix this you will hit ...")', () => {
    const e = run(DENY_EGRESS + DENY_INGRESS);
    expect(step(e, 'networkpolicy-ingress')?.policies.map((p) => p.ruleRef)).toEqual([
      'NetworkPolicy:b/deny-in:ingress',
    ]);
  });

  it('every layer is effective when the flow is allowed', () => {
    expect(run('').steps.every((s) => s.effective)).toBe(true);
  });
});

describe('decidedBy', () => {
  it('is the first effective denial', () => {
    const e = run(DENY_EGRESS + DENY_INGRESS);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy?.layer).toBe('networkpolicy-egress');
    expect(e.decidedBy?.policy).toMatchObject({ kind: 'NetworkPolicy', namespace: 'a', name: 'deny-out', rule: null });
  });

  it('is null when every layer allowed by default', () => {
    const e = run('');
    expect(e.verdict).toBe('allowed');
    expect(e.decidedBy).toBeNull();
  });

  it('for an allowed flow is the last layer whose rule matched', () => {
    const e = run(ALLOW_INGRESS);
    expect(e.verdict).toBe('allowed');
    expect(e.decidedBy).toEqual({
      layer: 'networkpolicy-ingress',
      policy: expect.objectContaining({
        kind: 'NetworkPolicy',
        namespace: 'b',
        name: 'allow-a',
        rule: 1,
        ruleRef: 'NetworkPolicy:b/allow-a:ingress[1]',
      }),
    });
  });

  it('for an allowed flow decided only by an egress rule is that egress rule', () => {
    const allowOut = DENY_EGRESS.replace('deny-out', 'allow-out').replace(
      'policyTypes: [Egress]}',
      'policyTypes: [Egress], egress: [{ports: [{port: 8080}]}]}',
    );
    expect(run(allowOut).decidedBy).toMatchObject({
      layer: 'networkpolicy-egress',
      policy: { name: 'allow-out', rule: 0 },
    });
  });

  it('when both directions matched a rule, the later layer (ingress) decides', () => {
    const allowOut = DENY_EGRESS.replace('deny-out', 'allow-out').replace(
      'policyTypes: [Egress]}',
      'policyTypes: [Egress], egress: [{ports: [{port: 8080}]}]}',
    );
    expect(run(allowOut + ALLOW_INGRESS).decidedBy).toMatchObject({
      layer: 'networkpolicy-ingress',
      policy: { name: 'allow-a', rule: 1 },
    });
  });

  it('has rule null when isolation (no rule) denied', () => {
    expect(run(DENY_INGRESS).decidedBy?.policy).toMatchObject({
      rule: null,
      ruleRef: 'NetworkPolicy:b/deny-in:ingress',
    });
  });
});

describe('policy mentions', () => {
  it('have the shape {kind, namespace, name, rule, ruleRef}', () => {
    const mention = step(run(ALLOW_INGRESS), 'networkpolicy-ingress')?.policies[0];
    expect(mention).toMatchObject({
      kind: 'NetworkPolicy',
      namespace: 'b',
      name: 'allow-a',
      rule: 1,
      ruleRef: 'NetworkPolicy:b/allow-a:ingress[1]',
    });
  });

  it('an egress rule is referenced as egress[N]', () => {
    const allowOut = DENY_EGRESS.replace('deny-out', 'allow-out').replace(
      'policyTypes: [Egress]}',
      'policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 1.2.3.4/32}}]}, {ports: [{port: 8080}]}]}',
    );
    const e = run(allowOut);
    expect(step(e, 'networkpolicy-egress')?.policies.map((p) => p.ruleRef)).toContain(
      'NetworkPolicy:a/allow-out:egress[1]',
    );
  });
});

describe('NetworkPolicy sees the pod port after Service DNAT', () => {
  it('a policy written with the Service port does not match; the miss shows the pod port', () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: b}\nspec: {clusterIP: 10.96.0.4, selector: {app: server}, ports: [{port: 80, targetPort: web}]}\n---\n';
    const servicePortPolicy =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: svc-port, namespace: b}\nspec: {podSelector: {}, ingress: [{ports: [{port: 80}]}]}\n---\n';
    const e = run(svc + servicePortPolicy, { src: 'a/client', dst: 'b/server', port: 80 });
    expect(e.verdict).toBe('denied');
    const miss = step(e, 'networkpolicy-ingress')?.misses?.[0];
    expect(miss?.clauses).toContainEqual({
      field: 'ingress[0].ports',
      ok: false,
      expected: ['TCP/80'],
      actual: 'TCP/8080',
    });
  });
});

describe('NetworkPolicy sees the pod IP after Service DNAT', () => {
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: b}\nspec: {clusterIP: 10.96.0.4, selector: {app: server}, ports: [{port: 80, targetPort: web}]}\n---\n';
  const toServiceCidr =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: to-services, namespace: a}\nspec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.96.0.0/12}}]}]}\n---\n';
  it.each(['b/server', '10.96.0.4'])(
    'an egress ipBlock of the Service CIDR does not allow %s (the CNI sees the pod IP)',
    (dst) => {
      expect(step(run(svc + toServiceCidr, { src: 'a/client', dst, port: 80 }), 'networkpolicy-egress')?.verdict).toBe(
        'denied',
      );
    },
  );
});

describe('UDP and SCTP are never proxied', () => {
  const meshWorld = `apiVersion: v1
kind: Pod
metadata: {name: srv, namespace: b, labels: {app: srv}}
spec: {containers: [{name: c, ports: [{name: dns, containerPort: 5353, protocol: UDP}]}, {name: istio-proxy}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: a, labels: {app: cli}}
spec: {containers: [{name: c}, {name: istio-proxy}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-all, namespace: b}
spec: {action: DENY, rules: [{}]}
`;
  it.each(['UDP', 'SCTP'] as const)(
    '%s: only NetworkPolicy decides; the mesh and authz layers are not-applicable',
    (protocol) => {
      const e = explainOk(snapshotFromYaml(meshWorld), { src: 'a/cli', dst: 'b/srv', port: 5353, protocol });
      expect(e.verdict).toBe('allowed');
      expect(e.steps.slice(2).map((s) => s.verdict)).toEqual([
        'not-applicable',
        'not-applicable',
        'not-applicable',
        'not-applicable',
        'not-applicable',
        'not-applicable',
      ]);
    },
  );

  it('the same flow over TCP meets the DENY policy', () => {
    expect(
      explainOk(snapshotFromYaml(meshWorld), { src: 'a/cli', dst: 'b/srv', port: 5353, protocol: 'TCP' }).decidedBy
        ?.layer,
    ).toBe('authz-deny');
  });
});

describe('fix', () => {
  /** Appends every fix's YAML to the manifests, rebuilds and re-explains. */
  function applyFixes(policies: string, e: Explanation, q: QueryInput = Q): Explanation {
    const patched = `${WORLD}${policies}${e.fix.map((f) => `${f.yaml.trim()}\n---\n`).join('')}`;
    return explainOk(snapshotFromYaml(patched), q);
  }

  it.each([
    ['an ingress isolation', DENY_INGRESS],
    ['an egress isolation', DENY_EGRESS],
    ['both directions', DENY_EGRESS + DENY_INGRESS],
    ['an isolation whose rules miss the port', ALLOW_INGRESS.replace('ports: [{port: web}]', 'ports: [{port: 9999}]')],
  ])('applied together, the fixes for %s make re-explain allowed', (_name, policies) => {
    const e = run(policies);
    expect(e.verdict).toBe('denied');
    expect(e.fix.length).toBeGreaterThan(0);
    expect(applyFixes(policies, e).verdict).toBe('allowed');
  });

  it.each([
    ['egress to an out-of-cluster IP', DENY_EGRESS, { src: 'a/client', dst: '203.0.113.4', port: 443 }],
    ['ingress from an out-of-cluster IP', DENY_INGRESS, { src: '203.0.113.4', dst: 'b/server', port: 8080 }],
    ['a UDP flow', DENY_EGRESS + DENY_INGRESS, { src: 'a/client', dst: 'b/server', port: 53, protocol: 'UDP' }],
    ['an SCTP flow', DENY_INGRESS, { src: 'a/client', dst: 'b/server', port: 9000, protocol: 'SCTP' }],
    ['--cni cilium', DENY_INGRESS, { src: 'a/client', dst: 'b/server', port: 8080, cni: 'cilium' }],
  ] as const)('the fixes for %s make re-explain allowed', (_name, policies, q) => {
    const e = run(policies, q);
    expect(e.verdict).toBe('denied');
    expect(applyFixes(policies, e, q).verdict).toBe('allowed');
  });

  it('an AdminNetworkPolicy Deny gets a manual fix on the ANP (no NetworkPolicy can override it)', () => {
    const anp =
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: block}\nspec:\n  priority: 5\n  subject: {namespaces: {}}\n  ingress: [{name: r, action: Deny, from: [{namespaces: {}}]}]\n---\n';
    const e = run(anp);
    expect(e.verdict).toBe('denied');
    expect(e.fix).toContainEqual(
      expect.objectContaining({
        action: 'manual',
        target: expect.objectContaining({ kind: 'AdminNetworkPolicy', name: 'block' }),
      }),
    );
  });

  it('through a Service, the fix opens the targetPort and re-explain is allowed', () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: b}\nspec: {clusterIP: 10.96.0.4, selector: {app: server}, ports: [{port: 80, targetPort: web}]}\n---\n';
    const q: QueryInput = { src: 'a/client', dst: 'b/server', port: 80 };
    const e = run(svc + DENY_EGRESS + DENY_INGRESS, q);
    expect(e.verdict).toBe('denied');
    expect(applyFixes(svc + DENY_EGRESS + DENY_INGRESS, e, q).verdict).toBe('allowed');
  });

  it('each fix names its target and carries a reason', () => {
    for (const f of run(DENY_INGRESS).fix) {
      expect(f.why.length).toBeGreaterThan(0);
      expect(['create', 'patch', 'manual']).toContain(f.action);
      expect(f.target.namespace).toBe('b');
    }
  });

  it('an allowed flow has no fix', () => {
    expect(run('').fix).toEqual([]);
  });
});
