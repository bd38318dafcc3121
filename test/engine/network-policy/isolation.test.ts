import { describe, expect, it } from 'vitest';
import { CLIENT_TO_SERVER, egressIn, explainIn, ingressIn, np, verdictsIn } from './world.js';

const q = CLIENT_TO_SERVER;

describe('per-direction isolation', () => {
  it('a pod no NetworkPolicy selects is unrestricted both ways', () => {
    expect(verdictsIn('', q)).toEqual({ egress: 'allowed', ingress: 'allowed' });
  });

  it("an ingress-isolating policy does not restrict the same pod's egress", () => {
    const policy = np('b', 'deny-in', 'podSelector: {}\npolicyTypes: [Ingress]');
    expect(verdictsIn(policy, { src: 'b/server', dst: 'a/client', port: 9090 })).toEqual({
      egress: 'allowed',
      ingress: 'allowed',
    });
    expect(ingressIn(policy, q)).toBe('denied');
  });

  it("an egress-isolating policy does not restrict the same pod's ingress", () => {
    const policy = np('a', 'deny-out', 'podSelector: {}\npolicyTypes: [Egress]');
    expect(verdictsIn(policy, q)).toEqual({ egress: 'denied', ingress: 'allowed' });
    expect(verdictsIn(policy, { src: 'b/server', dst: 'a/client', port: 9090 })).toEqual({
      egress: 'allowed',
      ingress: 'allowed',
    });
  });

  it('a connection needs both the source egress and the destination ingress', () => {
    const policies =
      np('a', 'deny-out', 'podSelector: {}\npolicyTypes: [Egress]') +
      np('b', 'open-in', 'podSelector: {}\ningress: [{}]');
    const e = explainIn(policies, q);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy?.layer).toBe('networkpolicy-egress');
  });

  it('a policy in another namespace does not isolate the pod', () => {
    expect(ingressIn(np('c', 'deny-in', 'podSelector: {}\npolicyTypes: [Ingress]'), q)).toBe('allowed');
  });

  it('a policy whose podSelector does not match the pod does not isolate it', () => {
    expect(ingressIn(np('b', 'deny-db', 'podSelector: {matchLabels: {app: db}}\npolicyTypes: [Ingress]'), q)).toBe(
      'allowed',
    );
  });

  it('a policy without spec.podSelector selects every pod of its namespace', () => {
    expect(ingressIn(np('b', 'no-selector', 'policyTypes: [Ingress]'), q)).toBe('denied');
  });
});

describe('policyTypes defaulting', () => {
  it.each([
    ['no policyTypes, no sections: ingress only', 'podSelector: {}', 'denied', 'allowed'],
    [
      'no policyTypes, a non-empty egress section: both',
      'podSelector: {}\negress: [{to: [{podSelector: {matchLabels: {app: nothing}}}]}]',
      'denied',
      'denied',
    ],
    ['no policyTypes, egress: [] isolates ingress only', 'podSelector: {}\negress: []', 'denied', 'allowed'],
    ['policyTypes [Egress] isolates egress only', 'podSelector: {}\npolicyTypes: [Egress]', 'allowed', 'denied'],
    [
      'policyTypes [Ingress, Egress] with no sections isolates both',
      'podSelector: {}\npolicyTypes: [Ingress, Egress]',
      'denied',
      'denied',
    ],
  ])('%s', (_name, spec, ingress, egress) => {
    const policy = np('b', 'p', spec);
    expect(ingressIn(policy, { src: 'a/client', dst: 'b/server', port: 8080 })).toBe(ingress);
    expect(egressIn(policy, { src: 'b/server', dst: 'a/client', port: 9090 })).toBe(egress);
  });

  it('egress is isolated only when policyTypes includes Egress, even with an ingress section', () => {
    const policy = np('b', 'p', 'podSelector: {}\ningress: [{}]');
    expect(egressIn(policy, { src: 'b/server', dst: 'a/client', port: 9090 })).toBe('allowed');
  });
});

describe('rules are a union, never a deny', () => {
  it('a second policy that allows opens what the first isolates', () => {
    const policies =
      np('b', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress]') +
      np(
        'b',
        'allow-a',
        'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]',
      );
    const e = explainIn(policies, q);
    expect(e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.verdict).toBe('allowed');
    expect(e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.policies.map((p) => p.ruleRef)).toContain(
      'NetworkPolicy:b/allow-a:ingress[0]',
    );
  });

  it('the order of policies does not matter', () => {
    const deny = np('b', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress]');
    const allow = np(
      'b',
      'allow-a',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]',
    );
    expect(ingressIn(deny + allow, q)).toBe('allowed');
    expect(ingressIn(allow + deny, q)).toBe('allowed');
  });

  it('any one rule of a policy allows: the second rule matches', () => {
    const policy = np(
      'b',
      'two-rules',
      'podSelector: {}\ningress:\n- from: [{namespaceSelector: {matchLabels: {team: c}}}]\n- from: [{namespaceSelector: {matchLabels: {team: a}}}]',
    );
    const e = explainIn(policy, q);
    const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
    expect(step?.verdict).toBe('allowed');
    expect(step?.policies.map((p) => p.ruleRef)).toContain('NetworkPolicy:b/two-rules:ingress[1]');
  });
});

describe('empty and missing rule parts', () => {
  it.each([
    ['ingress: [] allows nothing', 'podSelector: {}\npolicyTypes: [Ingress]\ningress: []', 'denied'],
    ['a missing ingress section with type Ingress allows nothing', 'podSelector: {}\npolicyTypes: [Ingress]', 'denied'],
    ['ingress: [{}] allows everything', 'podSelector: {}\ningress: [{}]', 'allowed'],
    ['from: [] matches every source', 'podSelector: {}\ningress: [{from: [], ports: [{port: 8080}]}]', 'allowed'],
    ['a missing from matches every source', 'podSelector: {}\ningress: [{ports: [{port: 8080}]}]', 'allowed'],
    [
      'ports: [] matches every port',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {}}], ports: []}]',
      'allowed',
    ],
    [
      'a rule needs its from AND its ports: the port differs',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {}}], ports: [{port: 9999}]}]',
      'denied',
    ],
  ])('%s', (_name, spec, expected) => {
    expect(ingressIn(np('b', 'p', spec), q)).toBe(expected);
  });
});

describe('peer selectors', () => {
  it.each([
    [
      'podSelector alone means pods of the policy namespace: a pod of another namespace does not match',
      '- podSelector: {matchLabels: {app: client}}',
      'a/client',
      'denied',
    ],
    ['namespaceSelector: {} matches pods of every namespace', '- namespaceSelector: {}', 'c/client', 'allowed'],
    [
      'namespaceSelector alone matches every pod of the selected namespace',
      '- namespaceSelector: {matchLabels: {team: a}}',
      'a/other',
      'allowed',
    ],
    [
      'namespaceSelector + podSelector in one peer is AND: right namespace, wrong pod',
      '- namespaceSelector: {matchLabels: {team: a}}\n  podSelector: {matchLabels: {app: client}}',
      'a/other',
      'denied',
    ],
    [
      'namespaceSelector + podSelector in one peer is AND: right pod, wrong namespace',
      '- namespaceSelector: {matchLabels: {team: a}}\n  podSelector: {matchLabels: {app: client}}',
      'c/client',
      'denied',
    ],
    [
      'namespaceSelector + podSelector in one peer is AND: both match',
      '- namespaceSelector: {matchLabels: {team: a}}\n  podSelector: {matchLabels: {app: client}}',
      'a/client',
      'allowed',
    ],
    [
      'two peers are OR: the namespace peer alone admits any pod of it',
      '- namespaceSelector: {matchLabels: {team: a}}\n- podSelector: {matchLabels: {app: client}}',
      'a/other',
      'allowed',
    ],
    [
      'namespaceSelector with matchExpressions NotIn',
      '- namespaceSelector: {matchExpressions: [{key: team, operator: NotIn, values: [a]}]}',
      'a/client',
      'denied',
    ],
    [
      'namespaceSelector on kubernetes.io/metadata.name',
      '- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}',
      'c/client',
      'allowed',
    ],
  ])('%s', (_name, peers, src, expected) => {
    const policy = np(
      'b',
      'p',
      `podSelector: {matchLabels: {app: server}}\ningress:\n- from:\n${peers.replace(/^/gm, '  ')}`,
    );
    expect(ingressIn(policy, { src, dst: 'b/server', port: 8080 })).toBe(expected);
  });

  it('podSelector alone admits a pod of the policy namespace', () => {
    const policies = np(
      'b',
      'p',
      'podSelector: {matchLabels: {app: server}}\ningress:\n- from: [{podSelector: {matchLabels: {app: peer}}}]',
    );
    const peer =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: peer, namespace: b, labels: {app: peer}}\nspec: {containers: [{name: app}]}\nstatus: {podIP: 10.2.0.9}\n---\n';
    expect(ingressIn(policies + peer, { src: 'b/peer', dst: 'b/server', port: 8080 })).toBe('allowed');
  });
});
