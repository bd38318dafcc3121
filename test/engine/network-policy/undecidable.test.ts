import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml, type QueryInput } from '../../helpers/snapshot.js';
import { WORLD, np } from './world.js';

// WORLD puts b/server on node n1 and the hostNetwork pod b/hostnet on node n2.
const run = (world: string, policies: string, q: QueryInput) =>
  explainOk(snapshotFromYaml(`${world}\n---\n${policies}`), q);

describe('the node exception of ingress isolation (hostNetwork sources)', () => {
  const isolate = np('b', 'p', 'podSelector: {matchLabels: {app: server}}\npolicyTypes: [Ingress]');
  const q: QueryInput = { src: 'b/hostnet', dst: 'b/server', port: 8080 };

  it("ingress from the destination pod's own node is always allowed", () => {
    expect(run(WORLD.replace('nodeName: n2', 'nodeName: n1'), isolate, q).verdict).toBe('allowed');
  });

  it('ingress from a hostNetwork pod on another node is judged by the policy', () => {
    expect(run(WORLD, isolate, q).verdict).toBe('denied');
  });

  it('ingress from a hostNetwork pod whose node is unknown is conditional (node-placement-unknown)', () => {
    const e = run(WORLD.replace('  nodeName: n2\n', ''), isolate, q);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.map((c) => c.code)).toContain('node-placement-unknown');
  });
});

describe('ipBlock against a pod whose IP is not in the input (built from a template)', () => {
  const deployment =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c}]}\n---\n';
  const fromBlock = (cidr: string, extraRule = ''): string =>
    deployment + np('b', 'p', `podSelector: {}\ningress: [{from: [{ipBlock: {cidr: ${cidr}}}]}${extraRule}]`);
  const q: QueryInput = { src: 'shop/web', dst: 'b/server', port: 8080 };

  it('0.0.0.0/0 covers any IP it will get: allowed', () => {
    expect(run(WORLD, fromBlock('0.0.0.0/0'), q).verdict).toBe('allowed');
  });

  it('a narrower cidr is undecidable: conditional (pod-ip-unknown)', () => {
    const e = run(WORLD, fromBlock('10.244.0.0/16'), q);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.map((c) => c.code)).toContain('pod-ip-unknown');
  });

  it('with --cni cilium, ipBlock never matches pod IPs: denied', () => {
    expect(run(WORLD, fromBlock('10.244.0.0/16'), { ...q, cni: 'cilium' }).verdict).toBe('denied');
  });

  it('another rule that matches for sure decides: allowed', () => {
    expect(run(WORLD, fromBlock('10.244.0.0/16', ', {from: [{namespaceSelector: {}}]}'), q).verdict).toBe('allowed');
  });
});

describe('AdminNetworkPolicy nodes peers', () => {
  const denyToNodes = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-nodes}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {team: a}}}
  egress: [{name: r, action: Deny, to: [{nodes: {}}]}]
`;

  it('nodes: {} matches a hostNetwork destination (it uses its node IP)', () => {
    expect(run(WORLD, denyToNodes, { src: 'a/client', dst: 'b/hostnet', port: 8080 }).verdict).toBe('denied');
  });

  it('nodes: {} never matches an ordinary pod', () => {
    expect(run(WORLD, denyToNodes, { src: 'a/client', dst: 'b/server', port: 8080 }).verdict).toBe('allowed');
  });

  it('an out-of-cluster IP may be a node: conditional', () => {
    const e = run(WORLD, denyToNodes, { src: 'a/client', dst: '203.0.113.1', port: 8080 });
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.length).toBeGreaterThan(0);
  });
});
