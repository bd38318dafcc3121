import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { WORLD, egressIn, ingressIn, np } from './world.js';

const q = { src: 'a/client', dst: 'b/server', port: 8080 } as const;

describe('policyTypes and ports corner cases', () => {
  it('policyTypes: [] behaves like a missing policyTypes (defaulted): ingress isolated', () => {
    expect(ingressIn(np('b', 'p', 'podSelector: {}\npolicyTypes: []'), q)).toBe('denied');
  });

  it('policyTypes: [] with a non-empty egress section isolates egress too', () => {
    const policy = np('b', 'p', 'podSelector: {}\npolicyTypes: []\negress: [{to: [{ipBlock: {cidr: 1.1.1.1/32}}]}]');
    expect(egressIn(policy, { src: 'b/server', dst: 'a/client', port: 9090 })).toBe('denied');
  });

  it('several ports in one rule are ORed', () => {
    expect(ingressIn(np('b', 'p', 'podSelector: {}\ningress: [{ports: [{port: 1}, {port: 8080}]}]'), q)).toBe(
      'allowed',
    );
  });

  it('endPort equal to port is a one-port range', () => {
    expect(ingressIn(np('b', 'p', 'podSelector: {}\ningress: [{ports: [{port: 8080, endPort: 8080}]}]'), q)).toBe(
      'allowed',
    );
  });

  it('a named port in an egress rule never matches an out-of-cluster IP (nothing to resolve it on)', () => {
    const policy = np('a', 'p', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{ports: [{port: web}]}]');
    expect(egressIn(policy, { src: 'a/client', dst: '203.0.113.1', port: 9090 })).toBe('denied');
  });

  it('an except entry excludes a pod IP under calico', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]',
    );
    expect(ingressIn(policy, { ...q, cni: 'calico' })).toBe('denied');
    expect(ingressIn(policy, { src: 'c/client', dst: 'b/server', port: 8080, cni: 'calico' })).toBe('allowed');
  });

  it('matchExpressions In with several values matches any of them', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [x, a]}]}}]}]',
    );
    expect(ingressIn(policy, q)).toBe('allowed');
  });

  it('matchLabels and matchExpressions of one selector are ANDed', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: a}, matchExpressions: [{key: team, operator: In, values: [c]}]}}]}]',
    );
    expect(ingressIn(policy, q)).toBe('denied');
  });

  it('DoesNotExist matches only namespaces without the label', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}}]}]',
    );
    expect(ingressIn(policy, q)).toBe('denied');
  });
});

describe('selector operators against a namespace without the key', () => {
  const unlabelled =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: nolabel, labels: {app: x}}\nspec: {containers: [{name: c}]}\n---\n';
  it.each([
    [
      'NotIn matches a namespace that lacks the key',
      '{matchExpressions: [{key: team, operator: NotIn, values: [a]}]}',
      'allowed',
    ],
    ['Exists does not match it', '{matchExpressions: [{key: team, operator: Exists}]}', 'denied'],
    ['In does not match it', '{matchExpressions: [{key: team, operator: In, values: [a, b, c]}]}', 'denied'],
  ])('%s', (_name, selector, expected) => {
    const policy = np('b', 'p', `podSelector: {}\ningress: [{from: [{namespaceSelector: ${selector}}]}]`);
    expect(
      explainOk(snapshotFromYaml(`${WORLD}\n---\n${unlabelled}${policy}`), {
        src: 'nolabel/x',
        dst: 'b/server',
        port: 8080,
      }).steps[1]?.verdict,
    ).toBe(expected);
  });
});

describe('a pod and itself', () => {
  it('a pod cannot block access to itself (both directions isolated)', () => {
    const e = explainOk(
      snapshotFromYaml(`${WORLD}\n---\n${np('b', 'deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]')}`),
      { src: 'b/po/server', dst: 'b/po/server', port: 8080 },
    );
    expect(e.verdict).toBe('allowed');
  });
});

describe('named ports across containers', () => {
  const world = `apiVersion: v1
kind: Pod
metadata: {name: multi, namespace: m, labels: {app: multi}}
spec:
  containers:
  - {name: a, ports: [{name: web, containerPort: 8080}]}
  - {name: b, ports: [{name: metrics, containerPort: 9100}, {name: dual, containerPort: 5000, protocol: UDP}]}
status: {podIP: 10.9.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: x, labels: {app: c}}
spec: {containers: [{name: a}]}
status: {podIP: 10.9.0.2}
---
`;
  const verdict = (spec: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): string =>
    explainOk(snapshotFromYaml(world + np('m', 'p', spec)), { src: 'x/c', dst: 'm/multi', port, protocol }).steps[1]
      ?.verdict ?? 'missing';

  it('a named port of the second container resolves', () => {
    expect(verdict('podSelector: {}\ningress: [{ports: [{port: metrics}]}]', 9100)).toBe('allowed');
  });

  it('a UDP named port of the second container resolves with protocol UDP', () => {
    expect(verdict('podSelector: {}\ningress: [{ports: [{port: dual, protocol: UDP}]}]', 5000, 'UDP')).toBe('allowed');
  });
});

describe('synthesized namespaces in selectors', () => {
  const world =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: x, labels: {app: c}}\nspec: {containers: [{name: a}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: s, namespace: m, labels: {app: s}}\nspec: {containers: [{name: a}]}\n---\n';
  const verdict = (from: string): string =>
    explainOk(
      snapshotFromYaml(world + np('m', 'p', `podSelector: {}\ningress: [{from: [{namespaceSelector: ${from}}]}]`)),
      { src: 'x/c', dst: 'm/s', port: 80 },
    ).steps[1]?.verdict ?? 'missing';

  it('an undeclared namespace matches on kubernetes.io/metadata.name', () => {
    expect(verdict('{matchLabels: {kubernetes.io/metadata.name: x}}')).toBe('allowed');
  });

  it('an undeclared namespace has no other labels', () => {
    expect(verdict('{matchLabels: {team: x}}')).toBe('denied');
  });
});
