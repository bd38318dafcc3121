/** NetworkPolicy (v1) tier for one direction: isolation, then the union of rules. */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, Pod, PolicyPort } from '../../model/k8s.js';
import type { Cni, Snapshot } from '../../model/snapshot.js';
import { selectorMatches, formatSelector } from '../../model/selectors.js';
import type { Endpoint } from '../flow.js';
import type { Clause, PolicyEffect, PolicyMention, RuleMiss } from '../explanation.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import { describeEndpoint, ipBlockMatch, namespaceLabels, resolveNamedPort, selectablePod } from './endpoint.js';
import type { DirectionQuery, Match, TierResult } from './types.js';

function peerMatches(
  peer: NetworkPolicyPeer,
  policyNamespace: string,
  remote: Endpoint,
  snapshot: Snapshot,
  cni: Cni,
): Match {
  if (peer.type === 'ipBlock') return ipBlockMatch(remote, cni, peer.cidr, peer.except);
  const pod = selectablePod(remote);
  if (!pod) return false;
  const nsOk =
    peer.namespaceSelector === null
      ? pod.namespace === policyNamespace
      : selectorMatches(peer.namespaceSelector, namespaceLabels(snapshot, pod.namespace));
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

const isNamed = (p: PolicyPort): boolean => typeof p.port === 'string';

/**
 * kube-router resolves an egress rule's named ports on the pods its pod/namespace selector peers
 * select, never on an ipBlock peer (cloudnativelabs/kube-router pkg/controllers/netpol/policy.go,
 * buildNetworkPoliciesInfo: namedPort2EgressEps is filled from evalPodPeer only). Calico resolves a
 * named port to the (IP, port) pairs of the workload endpoints that carry it
 * (projectcalico/calico felix/labelindex/named_port_index.go), so pods inside the ipBlock match;
 * Cilium never matches pod IPs with an ipBlock (endpoint.ts), so nothing matches there anyway.
 */
function namedPortsNeedPodPeers(q: DirectionQuery): boolean {
  return q.direction === 'egress' && q.cni === 'kube-router';
}

export function describePeer(peer: NetworkPolicyPeer): string {
  if (peer.type === 'ipBlock')
    return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(',')}` : ''}`;
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

/** A rule's clause names and `expected` texts: they read only the rule, so they are made once per rule. */
interface RuleTexts {
  readonly section: string;
  readonly index: number;
  readonly peerKey: string;
  readonly peersField: string;
  readonly portsField: string;
  readonly peers: 'any' | readonly string[];
  readonly ports: 'any' | readonly string[];
}

const ruleTextsMemo = new WeakMap<NetworkPolicyRule, RuleTexts>();

function ruleTexts(rule: NetworkPolicyRule, section: string, index: number, peerKey: string): RuleTexts {
  const known = ruleTextsMemo.get(rule);
  if (known && known.section === section && known.index === index && known.peerKey === peerKey) return known;
  const texts: RuleTexts = {
    section,
    index,
    peerKey,
    peersField: `${section}[${index}].${peerKey}`,
    portsField: `${section}[${index}].ports`,
    peers: rule.peers === null ? 'any' : rule.peers.map(describePeer),
    ports: rule.ports === null ? 'any' : rule.ports.map(describePort),
  };
  ruleTextsMemo.set(rule, texts);
  return texts;
}

/** OR over the peers' matches (anyMatch), without the ipBlock peers when `podPeersOnly`. */
function peersMatch(
  peers: readonly NetworkPolicyPeer[],
  podPeersOnly: boolean,
  policyNamespace: string,
  remote: Endpoint,
  snapshot: Snapshot,
  cni: Cni,
): Match {
  let unknown: Match = false;
  for (const p of peers) {
    if (podPeersOnly && p.type === 'ipBlock') continue;
    const m = peerMatches(p, policyNamespace, remote, snapshot, cni);
    if (m === true) return true;
    if (unknown === false && m !== false) unknown = m;
  }
  return unknown;
}

/** Whether some port of the rule matches, and whether every matching port is a named one. */
function portsMatch(ports: readonly PolicyPort[], q: DirectionQuery): { ok: boolean; allNamed: boolean } {
  let ok = false;
  let allNamed = true;
  for (const p of ports) {
    if (!portMatches(p, q)) continue;
    ok = true;
    if (!isNamed(p)) allNamed = false;
  }
  return { ok, allNamed };
}

/** Whether a rule matches, and whether its peers and its ports did: what its two clauses say. */
interface RuleVerdict {
  readonly match: Match;
  readonly peersOk: boolean;
  readonly portsOk: boolean;
}

function ruleVerdict(
  rule: NetworkPolicyRule,
  q: DirectionQuery,
  policy: NetworkPolicy,
  snapshot: Snapshot,
): RuleVerdict {
  const remote = q.direction === 'ingress' ? q.source : q.destination;
  const peers = rule.peers === null ? true : peersMatch(rule.peers, false, policy.namespace, remote, snapshot, q.cni);
  const ports = rule.ports === null ? null : portsMatch(rule.ports, q);
  const portsOk = ports === null || ports.ok;
  const match = !portsOk
    ? false
    : rule.peers !== null && ports !== null && namedPortsNeedPodPeers(q) && ports.allNamed
      ? peersMatch(rule.peers, true, policy.namespace, remote, snapshot, q.cni)
      : peers;
  return { match, peersOk: peers === true, portsOk };
}

function ruleClauses(
  rule: NetworkPolicyRule,
  section: string,
  index: number,
  q: DirectionQuery,
  v: RuleVerdict,
): Clause[] {
  const remote = q.direction === 'ingress' ? q.source : q.destination;
  const texts = ruleTexts(rule, section, index, q.direction === 'ingress' ? 'from' : 'to');
  return [
    { field: texts.peersField, ok: v.peersOk, expected: texts.peers, actual: describeEndpoint(remote) },
    { field: texts.portsField, ok: v.portsOk, expected: texts.ports, actual: `${q.protocol}/${q.port}` },
  ];
}

export function ruleMatch(
  rule: NetworkPolicyRule,
  section: string,
  index: number,
  q: DirectionQuery,
  policy: NetworkPolicy,
  snapshot: Snapshot,
): { match: Match; clauses: Clause[] } {
  const v = ruleVerdict(rule, q, policy, snapshot);
  return { match: v.match, clauses: ruleClauses(rule, section, index, q, v) };
}

/**
 * "The only allowed connections into the pod are those from the pod's node and those allowed by
 * the ingress list": a host-network source on the destination's node is let in.
 */
export function nodeException(q: DirectionQuery): Match {
  if (q.direction !== 'ingress' || q.source.type !== 'pod' || !q.source.pod.hostNetwork || q.destination.type !== 'pod')
    return false;
  const from = q.source.pod.nodeName;
  const to = q.destination.pod.nodeName;
  if (from && to) return from === to;
  return {
    code: 'node-placement-unknown',
    message: `${describeEndpoint(q.source)} is a host-network pod; if it runs on the node of ${describeEndpoint(q.destination)}, the node exception lets it in (node placement is not in the input)`,
  };
}

/**
 * Per Snapshot: the policies selecting each pod, computed on first use, and one list per distinct
 * set (pods selected alike share it, so what is derived from the list is derived once per set).
 */
const selectingCache = new WeakMap<
  Snapshot,
  { perPod: WeakMap<Pod, readonly NetworkPolicy[]>; bySet: Map<string, readonly NetworkPolicy[]> }
>();

/** NetworkPolicies of the pod's namespace whose podSelector selects it (never a host-network pod). */
export function networkPoliciesSelecting(snapshot: Snapshot, pod: Pod): readonly NetworkPolicy[] {
  if (pod.hostNetwork) return [];
  let cache = selectingCache.get(snapshot);
  if (!cache) selectingCache.set(snapshot, (cache = { perPod: new WeakMap(), bySet: new Map() }));
  let selecting = cache.perPod.get(pod);
  if (!selecting) {
    const inNamespace = snapshot.index.networkPoliciesByNamespace.get(pod.namespace) ?? [];
    const matching: number[] = [];
    inNamespace.forEach((p, i) => {
      if (selectorMatches(p.podSelector, pod.labels)) matching.push(i);
    });
    const key = `${pod.namespace}/${matching.join(',')}`;
    selecting = cache.bySet.get(key);
    if (!selecting) cache.bySet.set(key, (selecting = matching.map((i) => inNamespace[i] as NetworkPolicy)));
    cache.perPod.set(pod, selecting);
  }
  return selecting;
}

/** Per list of selecting policies: the ones isolating ingress, and egress (one list each, kept). */
const isolatingLists = new WeakMap<
  readonly NetworkPolicy[],
  { ingress?: readonly NetworkPolicy[]; egress?: readonly NetworkPolicy[] }
>();

/** Policies in the pod's namespace that select it and isolate this direction. */
export function isolatingPolicies(snapshot: Snapshot, q: DirectionQuery): readonly NetworkPolicy[] {
  const subject = selectablePod(q.direction === 'ingress' ? q.destination : q.source);
  if (!subject) return [];
  const selecting = networkPoliciesSelecting(snapshot, subject);
  let lists = isolatingLists.get(selecting);
  if (!lists) isolatingLists.set(selecting, (lists = {}));
  return (lists[q.direction] ??= selecting.filter((p) =>
    q.direction === 'ingress' ? p.affectsIngress : p.affectsEgress,
  ));
}

/** Per policy and section: its mentions by rule (index + 1; 0 for none) and effect, made once and shared by every answer. */
const mentions = new WeakMap<NetworkPolicy, Map<string, Partial<Record<PolicyEffect, PolicyMention>>[]>>();

function mention(policy: NetworkPolicy, section: string, rule: number | null, effect: PolicyEffect): PolicyMention {
  let bySection = mentions.get(policy);
  if (!bySection) mentions.set(policy, (bySection = new Map()));
  let byRule = bySection.get(section);
  if (!byRule) bySection.set(section, (byRule = []));
  const byEffect = (byRule[rule === null ? 0 : rule + 1] ??= {});
  return (byEffect[effect] ??= {
    kind: 'NetworkPolicy',
    namespace: policy.namespace,
    name: policy.name,
    rule,
    ruleRef: formatRuleRef(sectionRuleRef('NetworkPolicy', policy.namespace, policy.name, section, rule)),
    tier: 'networkpolicy',
    effect,
  });
}

/** The isolating policies of a pod as `isolated` mentions: one list per list of policies. */
const isolatedLists = new WeakMap<readonly NetworkPolicy[], Map<string, readonly PolicyMention[]>>();

function isolatedMentions(isolating: readonly NetworkPolicy[], section: string): readonly PolicyMention[] {
  let bySection = isolatedLists.get(isolating);
  if (!bySection) isolatedLists.set(isolating, (bySection = new Map()));
  let list = bySection.get(section);
  if (!list) bySection.set(section, (list = isolating.map((p) => mention(p, section, null, 'isolated'))));
  return list;
}

/** null when no NetworkPolicy isolates this side (the baseline tier decides then). */
export function evaluateKubernetesTier(snapshot: Snapshot, q: DirectionQuery): TierResult | null {
  const isolating = isolatingPolicies(snapshot, q);
  if (isolating.length === 0) return null;
  const node = nodeException(q);
  if (node === true) return { verdict: 'allowed', tier: 'node', policies: [], misses: [] };
  const section = q.direction;
  // every rule's verdict first: when one allows, the misses (and their clause texts) are not wanted
  const judged: { policy: NetworkPolicy; index: number; rule: NetworkPolicyRule; v: RuleVerdict }[] = [];
  const allowedBy: PolicyMention[] = [];
  for (const policy of isolating) {
    const rules = section === 'ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, index) => {
      const v = ruleVerdict(rule, q, policy, snapshot);
      judged.push({ policy, index, rule, v });
      if (v.match === true) allowedBy.push(mention(policy, section, index, 'allowed'));
    });
  }
  if (allowedBy.length > 0) return { verdict: 'allowed', tier: 'networkpolicy', policies: allowedBy, misses: [] };
  // no rule allows: each is a miss, false or not known
  const uncertain = node === false ? [] : [node];
  const misses: RuleMiss[] = judged.map(({ policy, index, rule, v }) => {
    if (v.match !== false && v.match !== true) uncertain.push(v.match);
    return {
      policy: mention(policy, section, index, v.match === false ? 'no-match' : 'unknown'),
      clauses: ruleClauses(rule, section, index, q, v),
    };
  });
  return {
    verdict: uncertain.length ? 'conditional' : 'denied',
    tier: 'networkpolicy',
    policies: isolatedMentions(isolating, section),
    misses,
    ...(uncertain.length ? { uncertain } : {}),
  };
}
