/** AdminNetworkPolicy (before NetworkPolicy) and BaselineAdminNetworkPolicy (after) tiers. */
import type { AdminNetworkPolicy, AdminPeer, AdminPort, AdminRule } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { selectorMatches } from '../../model/selectors.js';
import { ipInCidr } from '../../util/cidr.js';
import type { Endpoint } from '../flow.js';
import type { PolicyMention } from '../explanation.js';
import { formatK8sRuleRef } from '../rule-ref.js';
import { addressForIpBlock, namespaceLabels, resolveNamedPort, selectablePod } from './endpoint.js';
import type { DirectionQuery, TierResult } from './types.js';

export function subjectSelects(policy: AdminNetworkPolicy, endpoint: Endpoint, snapshot: Snapshot): boolean {
  const pod = selectablePod(endpoint);
  if (!pod) return false;
  const nsLabels = namespaceLabels(snapshot, pod.namespace);
  if (policy.subject.type === 'namespaces') return selectorMatches(policy.subject.namespaceSelector, nsLabels);
  return selectorMatches(policy.subject.namespaceSelector, nsLabels) && selectorMatches(policy.subject.podSelector, pod.labels);
}

function peerMatches(peer: AdminPeer, remote: Endpoint, snapshot: Snapshot, q: DirectionQuery): boolean {
  switch (peer.type) {
    case 'networks': {
      const address = addressForIpBlock(remote, q.cni);
      return address !== null && peer.cidrs.some((c) => ipInCidr(address, c));
    }
    case 'nodes':
      return false; // node addresses are not in the Snapshot; a pod is never a node peer
    case 'namespaces':
    case 'pods': {
      const pod = selectablePod(remote);
      if (!pod) return false;
      const nsOk = selectorMatches(peer.namespaceSelector, namespaceLabels(snapshot, pod.namespace));
      return nsOk && (peer.type === 'namespaces' || selectorMatches(peer.podSelector, pod.labels));
    }
  }
}

function portMatches(port: AdminPort, q: DirectionQuery): boolean {
  switch (port.type) {
    case 'number':
      return port.protocol === q.protocol && port.port === q.port;
    case 'range':
      return port.protocol === q.protocol && q.port >= port.start && q.port <= port.end;
    case 'named': {
      const dst = q.destination.type === 'pod' ? q.destination.pod : null;
      return resolveNamedPort(dst, port.name, q.protocol) === q.port;
    }
  }
}

function ruleMatches(rule: AdminRule, q: DirectionQuery, snapshot: Snapshot): boolean {
  const remote = q.direction === 'ingress' ? q.source : q.destination;
  return rule.peers.some((p) => peerMatches(p, remote, snapshot, q)) && (rule.ports === null || rule.ports.some((p) => portMatches(p, q)));
}

function mention(policy: AdminNetworkPolicy, section: string, index: number, rule: AdminRule): PolicyMention {
  return {
    kind: policy.kind,
    namespace: null,
    name: policy.name,
    rule: index,
    ruleRef: formatK8sRuleRef(policy.kind, null, policy.name, section, index),
    tier: policy.kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline',
    effect: rule.action.toLowerCase(),
  };
}

/** The action the first matching rule of `policy` takes on this flow, if any rule matches. */
function firstMatchingAction(policy: AdminNetworkPolicy, q: DirectionQuery, snapshot: Snapshot): string | null {
  const rules = q.direction === 'ingress' ? policy.ingress : policy.egress;
  return rules.find((r) => ruleMatches(r, q, snapshot))?.action ?? null;
}

/** Other ANPs at the same priority that select the subject and would act differently: their order is undefined. */
function conflictsAtPriority(snapshot: Snapshot, decider: AdminNetworkPolicy, action: string, subject: Endpoint, q: DirectionQuery): string[] {
  return snapshot.adminNetworkPolicies
    .filter((p) => p !== decider && p.priority === decider.priority && subjectSelects(p, subject, snapshot))
    .filter((p) => {
      const other = firstMatchingAction(p, q, snapshot);
      return other !== null && other !== action;
    })
    .map((p) => p.name);
}

/** First matching ANP rule by priority then written order; null when none matched or all passed. */
export function evaluateAdminTier(snapshot: Snapshot, q: DirectionQuery): TierResult | { passedBy: PolicyMention[]; undefinedOrder?: string[] } | null {
  const subject = q.direction === 'ingress' ? q.destination : q.source;
  const passedBy: PolicyMention[] = [];
  for (const policy of snapshot.adminNetworkPolicies) {
    if (!subjectSelects(policy, subject, snapshot)) continue;
    const rules = q.direction === 'ingress' ? policy.ingress : policy.egress;
    for (const [i, rule] of rules.entries()) {
      if (!ruleMatches(rule, q, snapshot)) continue;
      const m = mention(policy, q.direction, i, rule);
      const conflicts = conflictsAtPriority(snapshot, policy, rule.action, subject, q);
      const undefinedOrder = conflicts.length ? { undefinedOrder: [policy.name, ...conflicts] } : {};
      if (rule.action === 'Pass') {
        passedBy.push(m);
        return { passedBy, ...undefinedOrder };
      }
      return { verdict: rule.action === 'Allow' ? 'allowed' : 'denied', tier: 'admin', policies: [m], misses: [], ...undefinedOrder };
    }
  }
  return null;
}

export function evaluateBaselineTier(snapshot: Snapshot, q: DirectionQuery): TierResult | null {
  const policy = snapshot.baselineAdminNetworkPolicy;
  if (!policy) return null;
  const subject = q.direction === 'ingress' ? q.destination : q.source;
  if (!subjectSelects(policy, subject, snapshot)) return null;
  const rules = q.direction === 'ingress' ? policy.ingress : policy.egress;
  for (const [i, rule] of rules.entries()) {
    if (ruleMatches(rule, q, snapshot)) {
      return { verdict: rule.action === 'Deny' ? 'denied' : 'allowed', tier: 'baseline', policies: [mention(policy, q.direction, i, rule)], misses: [] };
    }
  }
  return null;
}
