/** NetworkPolicy (v1) tier for one direction: isolation, then the union of rules. */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, PolicyPort } from '../../model/k8s.js';
import type { Cni, Snapshot } from '../../model/snapshot.js';
import { selectorMatches, formatSelector } from '../../model/selectors.js';
import { ipInCidr } from '../../util/cidr.js';
import type { Endpoint } from '../flow.js';
import type { Clause, PolicyMention, RuleMiss } from '../explanation.js';
import { formatK8sRuleRef } from '../rule-ref.js';
import { addressForIpBlock, describeEndpoint, namespaceLabels, resolveNamedPort, selectablePod } from './endpoint.js';
import type { DirectionQuery, TierResult } from './types.js';

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, remote: Endpoint, snapshot: Snapshot, cni: Cni): boolean {
  if (peer.type === 'ipBlock') {
    const address = addressForIpBlock(remote, cni);
    return address !== null && ipInCidr(address, peer.cidr) && !peer.except.some((e) => ipInCidr(address, e));
  }
  const pod = selectablePod(remote);
  if (!pod) return false;
  const nsOk = peer.namespaceSelector === null ? pod.namespace === policyNamespace : selectorMatches(peer.namespaceSelector, namespaceLabels(snapshot, pod.namespace));
  return nsOk && (peer.podSelector === null || selectorMatches(peer.podSelector, pod.labels));
}

function portMatches(p: PolicyPort, q: DirectionQuery): boolean {
  if (p.protocol !== q.protocol) return false;
  if (p.port === null) return true;
  if (typeof p.port === 'string') {
    const dst = q.destination.type === 'pod' ? q.destination.pod : null;
    return resolveNamedPort(dst, p.port, p.protocol) === q.port;
  }
  return p.endPort === null ? p.port === q.port : q.port >= p.port && q.port <= p.endPort;
}

export function describePeer(peer: NetworkPolicyPeer): string {
  if (peer.type === 'ipBlock') return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(',')}` : ''}`;
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaces ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`pods ${formatSelector(peer.podSelector)}`);
  if (!peer.namespaceSelector) parts.push('in the policy namespace');
  return parts.join(' ');
}

export function describePort(p: PolicyPort): string {
  if (p.port === null) return `${p.protocol}/*`;
  return `${p.protocol}/${p.port}${p.endPort !== null ? `-${p.endPort}` : ''}`;
}

function ruleClauses(rule: NetworkPolicyRule, section: string, index: number, q: DirectionQuery, policy: NetworkPolicy, snapshot: Snapshot): Clause[] {
  const remote = q.direction === 'ingress' ? q.source : q.destination;
  const peerKey = q.direction === 'ingress' ? 'from' : 'to';
  const peersOk = rule.peers === null || rule.peers.some((p) => peerMatches(p, policy.namespace, remote, snapshot, q.cni));
  const portsOk = rule.ports === null || rule.ports.some((p) => portMatches(p, q));
  return [
    { field: `${section}[${index}].${peerKey}`, ok: peersOk, expected: rule.peers === null ? 'any' : rule.peers.map(describePeer), actual: describeEndpoint(remote) },
    { field: `${section}[${index}].ports`, ok: portsOk, expected: rule.ports === null ? 'any' : rule.ports.map(describePort), actual: `${q.protocol}/${q.port}` },
  ];
}

/** Policies in the pod's namespace that select it and isolate this direction. */
export function isolatingPolicies(snapshot: Snapshot, q: DirectionQuery): NetworkPolicy[] {
  const subject = selectablePod(q.direction === 'ingress' ? q.destination : q.source);
  if (!subject) return [];
  const candidates = snapshot.index.networkPoliciesByNamespace.get(subject.namespace) ?? [];
  return candidates.filter((p) => (q.direction === 'ingress' ? p.affectsIngress : p.affectsEgress) && selectorMatches(p.podSelector, subject.labels));
}

function mention(policy: NetworkPolicy, section: string, rule: number | null, effect: string): PolicyMention {
  return { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name, rule, ruleRef: formatK8sRuleRef('NetworkPolicy', policy.namespace, policy.name, section, rule), tier: 'networkpolicy', effect };
}

/** null when no NetworkPolicy isolates this side (the baseline tier decides then). */
export function evaluateKubernetesTier(snapshot: Snapshot, q: DirectionQuery): TierResult | null {
  const isolating = isolatingPolicies(snapshot, q);
  if (isolating.length === 0) return null;
  const section = q.direction;
  const allowedBy: PolicyMention[] = [];
  const misses: RuleMiss[] = [];
  for (const policy of isolating) {
    const rules = section === 'ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, i) => {
      const clauses = ruleClauses(rule, section, i, q, policy, snapshot);
      if (clauses.every((c) => c.ok)) allowedBy.push(mention(policy, section, i, 'allowed'));
      else misses.push({ policy: mention(policy, section, i, 'no-match'), clauses });
    });
  }
  if (allowedBy.length > 0) return { verdict: 'allowed', tier: 'networkpolicy', policies: allowedBy, misses: [] };
  return {
    verdict: 'denied',
    tier: 'networkpolicy',
    policies: isolating.map((p) => mention(p, section, null, 'isolated')),
    misses,
  };
}

