/** AdminNetworkPolicy (before NetworkPolicy) and BaselineAdminNetworkPolicy (after) tiers. */
import type { AdminAction, AdminNetworkPolicy, AdminPeer, AdminPort, AdminRule } from '../../model/k8s.js';
import { assertNever } from '../../util/assert-never.js';
import type { Snapshot } from '../../model/snapshot.js';
import { formatSelector, isEmptySelector, selectorMatches } from '../../model/selectors.js';
import type { Endpoint } from '../flow.js';
import type { PolicyEffect, PolicyMention } from '../explanation.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import {
  anyMatch,
  describeEndpoint,
  ipBlockMatch,
  namespaceLabels,
  resolveNamedPort,
  selectablePod,
} from './endpoint.js';
import type { DirectionQuery, Match, TierResult } from './types.js';

export function subjectSelects(policy: AdminNetworkPolicy, endpoint: Endpoint, snapshot: Snapshot): boolean {
  const pod = selectablePod(endpoint);
  if (!pod) return false;
  const nsLabels = namespaceLabels(snapshot, pod.namespace);
  if (policy.subject.type === 'namespaces') return selectorMatches(policy.subject.namespaceSelector, nsLabels);
  return (
    selectorMatches(policy.subject.namespaceSelector, nsLabels) &&
    selectorMatches(policy.subject.podSelector, pod.labels)
  );
}

function peerMatches(peer: AdminPeer, remote: Endpoint, snapshot: Snapshot, q: DirectionQuery): Match {
  switch (peer.type) {
    case 'networks':
      return anyMatch(peer.cidrs.map((c) => ipBlockMatch(remote, q.cni, c, [])));
    case 'nodes': {
      // Node objects are not read: a host-network pod is on some node (all nodes match {}),
      // an IP may be a node's; a regular pod never is
      const hostNetwork = remote.type === 'pod' && remote.pod.hostNetwork;
      if (remote.type === 'pod' && !hostNetwork) return false;
      if (hostNetwork && isEmptySelector(peer.nodeSelector)) return true;
      return {
        code: 'node-peer-unknown',
        message: `an AdminNetworkPolicy nodes peer (${formatSelector(peer.nodeSelector)}) may match ${describeEndpoint(remote)}; Node objects are not evaluated`,
      };
    }
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

export function ruleMatch(rule: AdminRule, q: DirectionQuery, snapshot: Snapshot): Match {
  const remote = q.direction === 'ingress' ? q.source : q.destination;
  if (rule.ports !== null && !rule.ports.some((p) => portMatches(p, q))) return false;
  return anyMatch(rule.peers.map((p) => peerMatches(p, remote, snapshot, q)));
}

function ruleMatches(rule: AdminRule, q: DirectionQuery, snapshot: Snapshot): boolean {
  return ruleMatch(rule, q, snapshot) === true;
}

/** The effect of a matching rule's action (Allow, Deny, Pass). */
function effectOf(action: AdminAction): PolicyEffect {
  switch (action) {
    case 'Allow':
      return 'allowed';
    case 'Deny':
      return 'denied';
    case 'Pass':
      return 'passed';
    default:
      return assertNever(action);
  }
}

function mention(policy: AdminNetworkPolicy, section: string, index: number, rule: AdminRule): PolicyMention {
  return {
    kind: policy.kind,
    namespace: null,
    name: policy.name,
    rule: index,
    ruleRef: formatRuleRef(sectionRuleRef(policy.kind, null, policy.name, section, index)),
    tier: policy.kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline',
    effect: effectOf(rule.action),
  };
}

/** The action the first matching rule of `policy` takes on this flow, if any rule matches. */
function firstMatchingAction(policy: AdminNetworkPolicy, q: DirectionQuery, snapshot: Snapshot): string | null {
  const rules = q.direction === 'ingress' ? policy.ingress : policy.egress;
  return rules.find((r) => ruleMatches(r, q, snapshot))?.action ?? null;
}

/** Other ANPs at the same priority that select the subject and would act differently: their order is undefined. */
function conflictsAtPriority(
  snapshot: Snapshot,
  decider: AdminNetworkPolicy,
  action: string,
  subject: Endpoint,
  q: DirectionQuery,
): string[] {
  return snapshot.adminNetworkPolicies
    .filter((p) => p !== decider && p.priority === decider.priority && subjectSelects(p, subject, snapshot))
    .filter((p) => {
      const other = firstMatchingAction(p, q, snapshot);
      return other !== null && other !== action;
    })
    .map((p) => p.name);
}

/** First matching ANP rule by priority then written order; null when none matched or all passed. */
export function evaluateAdminTier(
  snapshot: Snapshot,
  q: DirectionQuery,
): TierResult | { passedBy: PolicyMention[]; undefinedOrder?: string[] } | null {
  const subject = q.direction === 'ingress' ? q.destination : q.source;
  const passedBy: PolicyMention[] = [];
  for (const policy of snapshot.adminNetworkPolicies) {
    if (!subjectSelects(policy, subject, snapshot)) continue;
    const rules = q.direction === 'ingress' ? policy.ingress : policy.egress;
    for (const [i, rule] of rules.entries()) {
      const match = ruleMatch(rule, q, snapshot);
      if (match === false) continue;
      const m = mention(policy, q.direction, i, rule);
      if (match !== true)
        return { verdict: 'conditional', tier: 'admin', policies: [m], misses: [], uncertain: [match] };
      const conflicts = conflictsAtPriority(snapshot, policy, rule.action, subject, q);
      const undefinedOrder = conflicts.length ? { undefinedOrder: [policy.name, ...conflicts] } : {};
      if (rule.action === 'Pass') {
        passedBy.push(m);
        return { passedBy, ...undefinedOrder };
      }
      return {
        verdict: rule.action === 'Allow' ? 'allowed' : 'denied',
        tier: 'admin',
        policies: [m],
        misses: [],
        ...undefinedOrder,
      };
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
    const match = ruleMatch(rule, q, snapshot);
    if (match === false) continue;
    const m = mention(policy, q.direction, i, rule);
    if (match !== true)
      return { verdict: 'conditional', tier: 'baseline', policies: [m], misses: [], uncertain: [match] };
    return { verdict: rule.action === 'Deny' ? 'denied' : 'allowed', tier: 'baseline', policies: [m], misses: [] };
  }
  return null;
}
