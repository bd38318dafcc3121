import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml, type QueryInput } from '../helpers/snapshot.js';
import { WORLD, np } from './network-policy/world.js';

/** Explains, checks the flow is denied, appends every fix's YAML, rebuilds and re-explains. */
function verdictAfterFixes(policies: string, q: QueryInput): string {
  const e = explainOk(snapshotFromYaml(`${WORLD}\n---\n${policies}`), q);
  expect(e.verdict).toBe('denied');
  const patched = `${WORLD}\n---\n${policies}${e.fix.map((f) => `${f.yaml.trim()}\n---\n`).join('')}`;
  return explainOk(snapshotFromYaml(patched), q).verdict;
}

describe('fixes that involve hostNetwork pods (podSelector never matches them)', () => {
  it('the fix for ingress from a hostNetwork pod opens it', () => {
    const policies = np('b', 'in', 'podSelector: {matchLabels: {app: server}}\npolicyTypes: [Ingress]');
    expect(verdictAfterFixes(policies, { src: 'b/hostnet', dst: 'b/server', port: 8080 })).toBe('allowed');
  });

  it('the fix for egress to a hostNetwork pod opens it', () => {
    const policies = np('a', 'out', 'podSelector: {}\npolicyTypes: [Egress]');
    expect(verdictAfterFixes(policies, { src: 'a/client', dst: 'b/hostnet', port: 8080 })).toBe('allowed');
  });
});

describe('fixes for admin tiers', () => {
  it('the fix for a BaselineAdminNetworkPolicy Deny is a NetworkPolicy that allows (NetworkPolicy beats BANP)', () => {
    const banp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress: [{name: r, action: Deny, from: [{namespaces: {}}]}]
---
`;
    expect(verdictAfterFixes(banp, { src: 'a/client', dst: 'b/server', port: 8080 })).toBe('allowed');
  });
});
