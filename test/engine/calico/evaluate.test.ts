/**
 * Calico policy in explain: tiers, order, actions and attribution, each case from Calico's docs or
 * source (cited per test).
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {serviceAccountName: client-sa, containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server, tier: api}}
spec: {containers: [{name: s, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
`;

function tier(name: string, order: number, defaultAction?: 'Pass' | 'Deny'): string {
  return `---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: ${name}}
spec: {order: ${order}${defaultAction ? `, defaultAction: ${defaultAction}` : ''}}
`;
}

function gnp(name: string, spec: string): string {
  return `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ${name}}
spec:
${spec.replace(/^/gm, '  ')}
`;
}

function ingress(yaml: string, port = 8080): Explanation {
  return explainOk(snapshotFromYaml(PODS + yaml), { src: 'a/client', dst: 'b/server', port });
}

function decided(e: Explanation): string | null {
  return e.decidedBy?.policy?.ruleRef ?? null;
}

describe('Calico tiers in explain', () => {
  // https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy: "Pass ... skips
  // to the next tier"; felix/calc/policy_sorter.go TierLess sorts tiers by order.
  it('a Pass in an earlier tier hands the packet to the next tier, which decides', () => {
    const e = ingress(
      tier('first', 10) +
        tier('second', 20) +
        gnp('second.deny', 'tier: second\nselector: all()\ningress: [{action: Deny}]') +
        gnp('first.pass', 'tier: first\nselector: all()\ningress: [{action: Pass}]'),
    );
    expect(e.verdict).toBe('denied');
    expect(decided(e)).toBe('GlobalNetworkPolicy:second.deny:ingress[0]');
    expect(e.decidedBy?.policy?.tier).toBe('second');
    const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
    expect(step?.policies.find((p) => p.effect === 'passed')?.ruleRef).toBe(
      'GlobalNetworkPolicy:first.pass:ingress[0]',
    );
  });

  // felix/rules/endpoints.go: a tier whose policies select the endpoint but do not match ends in a
  // drop; flow logs report it as rule -1 of the tier.
  it('a tier that selects the endpoint and matches nothing denies at its end (rule -1)', () => {
    const e = ingress(
      tier('security', 10) +
        gnp(
          'security.only-80',
          'tier: security\nselector: app == "server"\ningress: [{action: Allow, protocol: TCP, destination: {ports: [80]}}]',
        ),
    );
    expect(e.verdict).toBe('denied');
    expect(decided(e)).toBe('GlobalNetworkPolicy:security.only-80:ingress[-1]');
    expect(e.decidedBy?.policy?.rule).toBe(-1);
    expect(
      e.steps
        .find((s) => s.layer === 'networkpolicy-ingress')
        ?.misses?.[0]?.clauses.some((c) => c.field === 'ingress[0].destination' && !c.ok),
    ).toBe(true);
  });

  // tier.go defaultAction: Pass makes the end of the tier pass instead of deny.
  it('a tier with defaultAction Pass passes at its end; the profile then allows', () => {
    const e = ingress(
      tier('audit', 10, 'Pass') +
        gnp('audit.nothing', 'tier: audit\nselector: all()\ningress: [{action: Allow, protocol: UDP}]'),
    );
    expect(e.verdict).toBe('allowed');
    expect(decided(e)).toBe('Profile:kns.b:ingress[0]');
  });

  it('a tier none of whose policies select the endpoint is skipped', () => {
    const e = ingress(tier('t', 10) + gnp('t.other', 'tier: t\nselector: app == "nobody"\ningress: [{action: Deny}]'));
    expect(e.verdict).toBe('allowed');
    expect(decided(e)).toBe('Profile:kns.b:ingress[0]');
  });

  // libcalico-go/lib/backend/k8s/conversion/conversion.go: Kubernetes NetworkPolicies at order 1000 in the default tier.
  it('places Kubernetes NetworkPolicy at order 1000 of the default tier', () => {
    const np = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client, namespace: b}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {}}]}]
`;
    const before = ingress(np + gnp('deny-early', 'order: 500\nselector: all()\ningress: [{action: Deny}]'));
    expect(decided(before)).toBe('GlobalNetworkPolicy:deny-early:ingress[0]');
    const after = ingress(np + gnp('deny-late', 'order: 1500\nselector: all()\ningress: [{action: Deny}]'));
    expect(after.verdict).toBe('allowed');
    expect(decided(after)).toBe('NetworkPolicy:b/allow-client:ingress[0]');
    expect(after.decidedBy?.policy?.tier).toBe('default');
  });

  // api/pkg/apis/projectcalico/v3/policy_common.go: "Log ... then continue processing".
  it('a Log rule is reported and evaluation continues', () => {
    const e = ingress(gnp('log-then-deny', 'selector: all()\ningress: [{action: Log}, {action: Deny}]'));
    expect(decided(e)).toBe('GlobalNetworkPolicy:log-then-deny:ingress[1]');
    const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
    expect(step?.policies.some((p) => p.effect === 'logged' && p.rule === 0)).toBe(true);
  });

  // policy_sorter.go PolKVLess: no order sorts after every order; ties by name.
  it('orders policies by order, none last, then by name', () => {
    const e = ingress(
      gnp('a-no-order', 'selector: all()\ningress: [{action: Deny}]') +
        gnp('z-ordered', 'order: 100\nselector: all()\ningress: [{action: Allow}]'),
    );
    expect(decided(e)).toBe('GlobalNetworkPolicy:z-ordered:ingress[0]');
    const ties = ingress(
      gnp('b-deny', 'order: 1\nselector: all()\ningress: [{action: Deny}]') +
        gnp('a-allow', 'order: 1\nselector: all()\ningress: [{action: Allow}]'),
    );
    expect(decided(ties)).toBe('GlobalNetworkPolicy:a-allow:ingress[0]');
  });

  it('names a namespaced Calico policy CalicoNetworkPolicy:NS/NAME and matches named ports', () => {
    const e = ingress(`---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: allow-http, namespace: b}
spec:
  selector: projectcalico.org/namespace == "b" && tier == "api"
  ingress:
  - action: Allow
    protocol: TCP
    source: {namespaceSelector: projectcalico.org/name == "a", serviceAccounts: {names: [client-sa]}}
    destination: {ports: [http]}
`);
    expect(e.verdict).toBe('allowed');
    expect(decided(e)).toBe('CalicoNetworkPolicy:b/allow-http:ingress[0]');
  });

  /** A GlobalNetworkSet labelled role=partner holding 203.0.113.0/24. */
  const PARTNERS_SET = `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {role: partner}}
spec: {nets: [203.0.113.0/24]}
`;

  // https://docs.tigera.io/calico/latest/reference/resources/networkset: a rule selector matches the
  // nets of the network sets it selects.
  it('matches an address through the NetworkSet that holds it', () => {
    const snapshot = snapshotFromYaml(
      PODS +
        PARTNERS_SET +
        gnp(
          'deny-partners',
          'selector: all()\ningress: [{action: Deny, source: {selector: role == "partner"}}, {action: Allow}]',
        ),
    );
    expect(decided(explainOk(snapshot, { src: { ip: '203.0.113.9' }, dst: 'b/server', port: 8080 }))).toBe(
      'GlobalNetworkPolicy:deny-partners:ingress[0]',
    );
    expect(decided(explainOk(snapshot, { src: { ip: '198.51.100.1' }, dst: 'b/server', port: 8080 }))).toBe(
      'GlobalNetworkPolicy:deny-partners:ingress[1]',
    );
  });

  // libcalico-go updateprocessors/rules.go parseServiceAccounts: a serviceAccounts.selector is the
  // same selector on `pcsa.` labels, ANDed into the rule's endpoint selector; a network set has no
  // `pcsa.` label, so `!has(team)` selects it (and the addresses it holds) and `team == "x"` does
  // not; a names list reads projectcalico.org/serviceaccount, which no network set carries.
  it.each([
    ['selector: "!has(team)"', '203.0.113.9', 'GlobalNetworkPolicy:sa:ingress[0]'],
    ['selector: all()', '203.0.113.9', 'GlobalNetworkPolicy:sa:ingress[0]'],
    ['selector: team == "x"', '203.0.113.9', 'GlobalNetworkPolicy:sa:ingress[1]'],
    ['names: [default]', '203.0.113.9', 'GlobalNetworkPolicy:sa:ingress[1]'],
    ['selector: "!has(team)"', '198.51.100.1', 'GlobalNetworkPolicy:sa:ingress[1]'],
  ])('a serviceAccounts %s reads a network set as an account with no labels (%s)', (match, ip, rule) => {
    const snapshot = snapshotFromYaml(
      PODS +
        PARTNERS_SET +
        gnp('sa', `selector: all()\ningress: [{action: Deny, source: {serviceAccounts: {${match}}}}, {action: Allow}]`),
    );
    expect(decided(explainOk(snapshot, { src: { ip }, dst: 'b/server', port: 8080 }))).toBe(rule);
  });

  it('makes an http match conditional with the reason', () => {
    const e = ingress(gnp('l7', 'selector: all()\ningress: [{action: Allow, http: {methods: [GET]}}]'));
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.map((c) => c.code)).toContain('calico-http-match');
  });

  // api policy_common.go ServiceMatch and felix/serviceindex/serviceindex.go: a rule's services match
  // the addresses of the Service's EndpointSlices, which meshdbg does not read for a Service without
  // a selector.
  it('makes services naming a Service without a selector conditional with the reason', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: a}
spec: {ports: [{port: 80}]}
`;
    const e = ingress(
      svc +
        gnp(
          'from-svc',
          'selector: all()\ningress: [{action: Allow, source: {services: {name: manual, namespace: a}}}]',
        ),
    );
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.map((c) => c.code)).toContain('calico-service-endpoints');
    // the rule's other fields still decide: a port the rule does not name is not made conditional
    const other = ingress(
      svc +
        gnp(
          'from-svc',
          'selector: all()\ningress: [{action: Allow, protocol: TCP, source: {services: {name: manual, namespace: a}}, destination: {ports: [9]}}]',
        ),
    );
    expect(other.verdict).toBe('denied');
  });

  // https://docs.tigera.io/calico/latest/network-policy/staged-network-policies: staged policies are
  // reported, not enforced.
  it('reports a staged policy as a shadow that never decides', () => {
    const e = ingress(`---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: would-deny}
spec: {selector: all(), ingress: [{action: Deny}]}
`);
    expect(e.verdict).toBe('allowed');
    const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
    expect(step?.policies.find((p) => p.effect?.startsWith('shadow'))?.ruleRef).toBe(
      'StagedGlobalNetworkPolicy:would-deny:ingress[0]',
    );
  });

  it('is no longer conditional because Calico policies exist', () => {
    const e = ingress(gnp('allow', 'selector: all()\ningress: [{action: Allow}]'));
    expect(e.verdict).toBe('allowed');
    expect(e.conditions.filter((c) => c.code === 'unmodelled-policy')).toEqual([]);
  });

  it('puts AdminNetworkPolicy in kube-admin, before the default tier', () => {
    const e = ingress(
      `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-a}
spec:
  priority: 5
  subject: {namespaces: {}}
  ingress: [{action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}]}]
` + gnp('deny-all', 'selector: all()\ningress: [{action: Deny}]'),
    );
    expect(decided(e)).toBe('AdminNetworkPolicy:allow-a:ingress[0]');
    expect(e.decidedBy?.policy?.tier).toBe('kube-admin');
  });

  it('fixes a denial in a Calico tier with an Allow ordered just before the denying policy, in that tier', () => {
    const e = ingress(
      tier('security', 10) +
        gnp('security.deny', 'tier: security\norder: 50\nselector: all()\ningress: [{action: Deny}]'),
    );
    const fix = e.fix[0];
    expect(fix?.target).toEqual({
      kind: 'CalicoNetworkPolicy',
      namespace: 'b',
      name: 'security.allow-from-client-8080',
    });
    expect(fix?.yaml).toContain('tier: security');
    expect(fix?.yaml).toContain('order: 49');
    const fixed = ingress(
      tier('security', 10) +
        gnp('security.deny', 'tier: security\norder: 50\nselector: all()\ningress: [{action: Deny}]') +
        '---\n' +
        (fix?.yaml ?? ''),
    );
    expect(fixed.verdict).toBe('allowed');
    expect(decided(fixed)).toBe('CalicoNetworkPolicy:b/security.allow-from-client-8080:ingress[0]');
  });
});
