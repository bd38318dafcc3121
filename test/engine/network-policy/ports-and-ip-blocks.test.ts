import { describe, expect, it } from 'vitest';
import { egressIn, explainIn, ingressIn, np } from './world.js';

const serverIngress = (ports: string): string =>
  np('b', 'p', `podSelector: {matchLabels: {app: server}}\ningress:\n- ports:\n${ports.replace(/^/gm, '  ')}`);

describe('ports', () => {
  it.each([
    ['a port without protocol means TCP: TCP 53 matches', '- port: 53', 53, 'TCP', 'allowed'],
    ['a port without protocol means TCP: TCP 8080 matches', '- port: 8080', 8080, 'TCP', 'allowed'],
    ['a port without protocol means TCP: UDP does not match', '- port: 53', 53, 'UDP', 'denied'],
    ['UDP port matches UDP', '- {port: 53, protocol: UDP}', 53, 'UDP', 'allowed'],
    ['UDP port does not match TCP', '- {port: 53, protocol: UDP}', 53, 'TCP', 'denied'],
    ['SCTP port matches SCTP', '- {port: 9000, protocol: SCTP}', 9000, 'SCTP', 'allowed'],
    ['SCTP port does not match TCP', '- {port: 9000, protocol: SCTP}', 9000, 'TCP', 'denied'],
    ['a protocol without port matches every port of it', '- protocol: UDP', 5353, 'UDP', 'allowed'],
    ['endPort: the lower bound matches', '- {port: 8000, endPort: 8080}', 8080, 'TCP', 'allowed'],
    ['endPort: the range is inclusive at the start', '- {port: 8080, endPort: 8090}', 8080, 'TCP', 'allowed'],
    ['endPort: a port above the range does not match', '- {port: 8000, endPort: 8079}', 8080, 'TCP', 'denied'],
    ['endPort: a port below the range does not match', '- {port: 8081, endPort: 8090}', 8080, 'TCP', 'denied'],
    ['a named port resolves on the destination pod (ingress)', '- port: web', 8080, 'TCP', 'allowed'],
    ['a named port with the wrong protocol does not resolve', '- {port: web, protocol: UDP}', 8080, 'UDP', 'denied'],
    ['a UDP named port resolves on the destination pod', '- {port: dns, protocol: UDP}', 53, 'UDP', 'allowed'],
    ['a named port that names another container port does not match', '- port: dns', 8080, 'TCP', 'denied'],
  ] as const)('%s', (_name, ports, port, protocol, expected) => {
    expect(ingressIn(serverIngress(ports), { src: 'a/client', dst: 'b/server', port, protocol })).toBe(expected);
  });

  it('a named port in an egress rule resolves on the remote (destination) pod, not the source', () => {
    // the client names 9090 "web"; the server names 8080 "web": egress to the server on 8080 matches
    const policy = np(
      'a',
      'out',
      'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress: [{ports: [{port: web}]}]',
    );
    expect(egressIn(policy, { src: 'a/client', dst: 'b/server', port: 8080 })).toBe('allowed');
    expect(egressIn(policy, { src: 'a/client', dst: 'b/server', port: 9090 })).toBe('denied');
  });
});

describe('ipBlock', () => {
  const fromBlock = (block: string): string =>
    np('b', 'p', `podSelector: {matchLabels: {app: server}}\ningress:\n- from: [{ipBlock: ${block}}]`);

  it.each([
    ['an out-of-cluster IP inside the cidr matches', '{cidr: 203.0.113.0/24}', '203.0.113.5', 'allowed'],
    ['an out-of-cluster IP outside the cidr does not match', '{cidr: 198.51.100.0/24}', '203.0.113.5', 'denied'],
    ['an IP inside except does not match', '{cidr: 203.0.113.0/24, except: [203.0.113.0/28]}', '203.0.113.5', 'denied'],
    [
      'an IP inside the cidr but outside except matches',
      '{cidr: 203.0.113.0/24, except: [203.0.113.128/25]}',
      '203.0.113.5',
      'allowed',
    ],
    ['a /32 cidr matches its one address', '{cidr: 203.0.113.5/32}', '203.0.113.5', 'allowed'],
    ['0.0.0.0/0 matches any IPv4 address', '{cidr: 0.0.0.0/0}', '8.8.8.8', 'allowed'],
  ])('%s', (_name, block, src, expected) => {
    expect(ingressIn(fromBlock(block), { src, dst: 'b/server', port: 8080 })).toBe(expected);
  });

  it.each([
    ['generic', 'allowed'],
    ['calico', 'allowed'],
    ['kube-router', 'allowed'],
    ['cilium', 'denied'],
  ] as const)('ipBlock vs a pod IP with --cni %s: %s', (cni, expected) => {
    expect(ingressIn(fromBlock('{cidr: 10.1.0.0/16}'), { src: 'a/client', dst: 'b/server', port: 8080, cni })).toBe(
      expected,
    );
  });

  it('an egress ipBlock allows an out-of-cluster destination', () => {
    const policy = np(
      'a',
      'out',
      'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 203.0.113.0/24}}], ports: [{port: 443}]}]',
    );
    expect(egressIn(policy, { src: 'a/client', dst: '203.0.113.7', port: 443 })).toBe('allowed');
    expect(egressIn(policy, { src: 'a/client', dst: '198.51.100.7', port: 443 })).toBe('denied');
  });
});

describe('hostNetwork pods', () => {
  it('a hostNetwork pod is never isolated by a podSelector', () => {
    const policy = np('b', 'deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
    expect(ingressIn(policy, { src: 'a/client', dst: 'b/hostnet', port: 8080 })).toBe('allowed');
    expect(egressIn(policy, { src: 'b/hostnet', dst: 'a/client', port: 9090 })).toBe('allowed');
  });

  it('a hostNetwork pod is never matched by a podSelector peer', () => {
    const policy = np('b', 'p', 'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{podSelector: {}}]}]');
    expect(ingressIn(policy, { src: 'b/hostnet', dst: 'b/server', port: 8080 })).toBe('denied');
  });

  it('a hostNetwork pod is never matched by a namespaceSelector peer', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{namespaceSelector: {}}]}]',
    );
    expect(ingressIn(policy, { src: 'b/hostnet', dst: 'b/server', port: 8080 })).toBe('denied');
  });

  it('a hostNetwork pod is matched by an ipBlock on its (node) IP', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{ipBlock: {cidr: 192.168.1.0/24}}]}]',
    );
    expect(ingressIn(policy, { src: 'b/hostnet', dst: 'b/server', port: 8080 })).toBe('allowed');
  });

  it('a hostNetwork pod is matched by an ipBlock even with --cni cilium (its IP is not a pod IP)', () => {
    const policy = np(
      'b',
      'p',
      'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{ipBlock: {cidr: 192.168.1.0/24}}]}]',
    );
    expect(ingressIn(policy, { src: 'b/hostnet', dst: 'b/server', port: 8080, cni: 'cilium' })).toBe('allowed');
  });
});

describe('the ingress decision names the rule', () => {
  it('the matching rule is reported with its ruleRef', () => {
    const e = explainIn(serverIngress('- port: web'), { src: 'a/client', dst: 'b/server', port: 8080 });
    const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
    expect(step?.policies).toContainEqual(
      expect.objectContaining({
        kind: 'NetworkPolicy',
        namespace: 'b',
        name: 'p',
        rule: 0,
        ruleRef: 'NetworkPolicy:b/p:ingress[0]',
      }),
    );
  });
});
