/**
 * A named port next to an ipBlock peer is valid: kubernetes/kubernetes
 * pkg/apis/networking/validation/validation.go (ValidateNetworkPolicyPort checks the name with
 * IsValidPortName, ValidateNetworkPolicyPeer checks the peer; nothing relates the two). The
 * NetworkPolicyPort docs: "a numerical or named port on a pod".
 */
import { describe, expect, it } from 'vitest';
import { egressIn, ingressIn, np } from './world.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const ingressFromCidr = np(
  'b',
  'from-lb',
  'podSelector: {matchLabels: {app: server}}\ningress: [{from: [{ipBlock: {cidr: 203.0.113.0/24}}], ports: [{port: web}]}]',
);

const egressToCidr = (cidr: string): string =>
  np(
    'a',
    'to-block',
    `podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: ${cidr}}}], ports: [{port: web}]}]`,
  );

describe('named port + ipBlock peer (ingress): the name resolves on the selected destination pod', () => {
  it('the load balancer CIDR reaches the server on its port named web (8080)', () => {
    expect(ingressIn(ingressFromCidr, { src: '203.0.113.9', dst: 'b/server', port: 8080 })).toBe('allowed');
  });
  it('another port of the server is not opened', () => {
    expect(ingressIn(ingressFromCidr, { src: '203.0.113.9', dst: 'b/server', port: 53, protocol: 'UDP' })).toBe(
      'denied',
    );
  });
  it('an address outside the CIDR is not let in', () => {
    expect(ingressIn(ingressFromCidr, { src: '198.51.100.9', dst: 'b/server', port: 8080 })).toBe('denied');
  });
  it('the policy loads without an error finding', () => {
    const s = snapshotFromYaml(ingressFromCidr);
    expect(s.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(s.findings.map((f) => f.code)).not.toContain('named-port-with-ipblock');
  });
});

describe('named port + ipBlock peer (egress): only pods inside the CIDR can carry the name', () => {
  it.each([
    ['generic', 'allowed'],
    ['calico', 'allowed'],
    ['kube-router', 'denied'],
    ['cilium', 'denied'],
  ] as const)('to a pod inside the CIDR, on its port named web, --cni %s: %s', (cni, expected) => {
    expect(egressIn(egressToCidr('10.2.0.0/16'), { src: 'a/client', dst: 'b/server', port: 8080, cni })).toBe(expected);
  });
  it('the source pod names 9090 web: that does not open 9090 on the destination', () => {
    expect(egressIn(egressToCidr('10.2.0.0/16'), { src: 'a/client', dst: 'b/server', port: 9090 })).toBe('denied');
  });
  it('to an address outside the cluster nothing carries the name: nothing matches', () => {
    expect(egressIn(egressToCidr('203.0.113.0/24'), { src: 'a/client', dst: '203.0.113.7', port: 8080 })).toBe(
      'denied',
    );
  });
  it('lint warns (never an error): the API server accepts it', () => {
    const s = snapshotFromYaml(egressToCidr('203.0.113.0/24'));
    const f = s.findings.find((x) => x.code === 'named-port-with-ipblock');
    expect(f?.severity).toBe('warning');
    expect(f?.field).toBe('spec.egress[0].ports');
    expect(s.findings.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
