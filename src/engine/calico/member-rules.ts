/**
 * One member's rules against one packet (pure): the first rule that decides, the rules that missed
 * (with the failing clause) and the Log rules on the way. Calico rules follow rule-match.ts; a
 * Kubernetes NetworkPolicy member allows on its first matching rule (Calico converts every
 * NetworkPolicy rule to an Allow rule, conversion.go K8sNetworkPolicyToCalico); an admin member
 * acts with its rule's action (Allow / Deny / Pass).
 */
import type { CalicoEntityRule, CalicoRule } from '../../model/calico/policy.js';
import { EMPTY_CALICO_ENTITY } from '../../model/calico/policy.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Clause, PolicyEffect, PolicyMention, RuleMiss } from '../explanation.js';
import type { DirectionQuery, Uncertainty } from '../network-policy/types.js';
import { ruleMatch as kubernetesRuleMatch } from '../network-policy/kubernetes.js';
import { ruleMatch as adminRuleMatch } from '../network-policy/admin.js';
import { assertNever } from '../../util/assert-never.js';
import { describeEndpoint } from '../network-policy/endpoint.js';
import { formatCalicoSelector } from '../../model/calico/selector-format.js';
import { calicoSelectorMatchesPartly, type PartialMatch } from '../../model/calico/selector.js';
import { calicoPeers } from './endpoint.js';
import { entityMatches, ruleMatches, type CalicoPacket, type CalicoPeer } from './rule-match.js';
import type { Member } from './members.js';
import type { RuleOutcome } from './tier-order.js';
import { serviceAccountSuffix } from './service-account-text.js';

/** The Calico rules a member missed, kept as data: their clauses are worked out only for a denial. */
interface CalicoMissed {
  readonly member: Extract<Member, { type: 'calico' }>;
  readonly q: DirectionQuery;
  readonly packets: readonly CalicoPacket[];
  readonly rules: readonly (readonly [number, CalicoRule])[];
}

export interface MemberRun {
  readonly outcome: RuleOutcome;
  /** the rules that did not match: ready (Kubernetes), or Calico rules whose clauses runMisses computes */
  readonly missed: readonly RuleMiss[] | CalicoMissed;
  readonly logged: readonly PolicyMention[];
  readonly uncertain: Uncertainty | null;
}

/** The rules of a run that did not match, with the failing clauses. */
export function runMisses(run: MemberRun): RuleMiss[] {
  const m = run.missed;
  if (Array.isArray(m)) return m as RuleMiss[];
  const { member, q, packets: all, rules } = m as CalicoMissed;
  return rules.map(([i, rule]) => ({
    policy: memberMention(member, q, i, 'no-match'),
    clauses: calicoClauses(rule, i, q, all, member.policy.namespace),
  }));
}

/** The kind Calico's flow logs and our ruleRefs give a policy (a Calico NetworkPolicy is CalicoNetworkPolicy). */
export function calicoKind(member: Member): string {
  if (member.type === 'kubernetes') return member.staged ? 'StagedKubernetesNetworkPolicy' : 'NetworkPolicy';
  if (member.type === 'admin') return member.policy.kind;
  return member.policy.kind === 'NetworkPolicy' ? 'CalicoNetworkPolicy' : member.policy.kind;
}

export function memberMention(
  member: Member,
  q: DirectionQuery,
  rule: number | null,
  effect: PolicyEffect,
): PolicyMention {
  const kind = calicoKind(member);
  const namespace = member.type === 'admin' ? null : member.policy.namespace;
  return {
    kind,
    namespace,
    name: member.policy.name,
    rule,
    ruleRef: formatRuleRef(sectionRuleRef(kind, namespace, member.policy.name, q.direction, rule, member.tier)),
    tier: member.tier,
    effect,
  };
}

function packetFor(
  snapshot: Snapshot,
  q: DirectionQuery,
  src: CalicoPacket['source'],
  dst: CalicoPacket['destination'],
): CalicoPacket {
  return { protocol: q.protocol, icmp: null, source: src, destination: dst };
}

const packetCache = new WeakMap<DirectionQuery, CalicoPacket[]>();

/** The packet as each candidate pair of peers (computed once per direction query). */
function packets(snapshot: Snapshot, q: DirectionQuery): CalicoPacket[] {
  const cached = packetCache.get(q);
  if (cached) return cached;
  const all = computePackets(snapshot, q);
  packetCache.set(q, all);
  return all;
}

function computePackets(snapshot: Snapshot, q: DirectionQuery): CalicoPacket[] {
  const sources = calicoPeers(snapshot, q.source, null);
  const destinations = calicoPeers(snapshot, q.destination, q.port);
  return sources.flatMap((s) => destinations.map((d) => packetFor(snapshot, q, s, d)));
}

function withoutServiceAccountSelector(e: CalicoEntityRule): CalicoEntityRule {
  return { ...e, serviceAccountSelector: null };
}

/** The serviceAccounts.selector of both sides on one packet, each side's labels known fully or in part. */
function serviceAccountSelectorsMatch(rule: CalicoRule, p: CalicoPacket): PartialMatch {
  const sides: [CalicoEntityRule, CalicoPacket['source']][] = [
    [rule.source, p.source],
    [rule.destination, p.destination],
  ];
  const parts = sides.map(([e, peer]): PartialMatch => {
    if (!e.serviceAccountSelector) return true;
    if (!peer.serviceAccountLabels) return false;
    return calicoSelectorMatchesPartly(
      e.serviceAccountSelector,
      peer.serviceAccountLabels,
      peer.serviceAccountLabelsComplete,
    );
  });
  return parts.includes(false) ? false : parts.includes('unknown') ? 'unknown' : true;
}

/**
 * true / false, or why it is unknown: `http` matches are application-layer policy
 * (https://docs.tigera.io/calico/latest/network-policy/istio/http-methods), and a
 * serviceAccounts.selector may depend on labels of a ServiceAccount that is not in the input.
 */
function calicoRuleMatch(
  rule: CalicoRule,
  all: readonly CalicoPacket[],
  namespace: string | null,
  snapshot: Snapshot,
): true | false | Uncertainty {
  const opaque = opaqueService(snapshot, rule, namespace);
  if (opaque) {
    const rest = {
      ...rule,
      source: { ...rule.source, service: null },
      destination: { ...rule.destination, service: null },
    };
    if (!all.some((p) => ruleMatches(rest, p, namespace))) return false;
    return {
      code: 'calico-service-endpoints',
      message: `services ${opaque} may match: the Service has no selector, so its endpoints are in EndpointSlices meshdbg does not read`,
    };
  }
  const saSelector = rule.source.serviceAccountSelector ?? rule.destination.serviceAccountSelector;
  const loose = saSelector
    ? {
        ...rule,
        source: withoutServiceAccountSelector(rule.source),
        destination: withoutServiceAccountSelector(rule.destination),
      }
    : rule;
  const candidates = all.filter((p) => ruleMatches(loose, p, namespace));
  if (candidates.length === 0) return false;
  if (saSelector) {
    const answers = candidates.map((p) => serviceAccountSelectorsMatch(rule, p));
    if (!answers.includes(true)) {
      if (!answers.includes('unknown')) return false;
      return {
        code: 'calico-service-account-labels',
        message: `serviceAccounts.selector ${formatCalicoSelector(saSelector)} may match: the ServiceAccount ${unknownServiceAccounts(rule, candidates)} is not in the input, so its labels are not known`,
      };
    }
  }
  if (rule.http)
    return {
      code: 'calico-http-match',
      message: `the rule's http match (${[...rule.http.methods, ...rule.http.paths.map((p) => JSON.stringify(p))].join(', ')}) is application layer policy meshdbg does not evaluate`,
    };
  return true;
}

/**
 * A rule's `services` naming a Service of the input that has no selector: felix matches the
 * addresses of its EndpointSlices (felix/serviceindex/serviceindex.go), which are not read.
 */
function opaqueService(snapshot: Snapshot, rule: CalicoRule, namespace: string | null): string | null {
  for (const svc of [rule.source.service, rule.destination.service]) {
    if (!svc) continue;
    const ns = svc.namespace ?? namespace;
    const found = (snapshot.index.servicesByNamespace.get(ns ?? '') ?? []).find((s) => s.name === svc.name);
    if (found && found.selector === null) return `${found.namespace}/${found.name}`;
  }
  return null;
}

/** The ServiceAccounts not in the input on the sides whose serviceAccounts.selector reads them. */
function unknownServiceAccounts(rule: CalicoRule, packets: readonly CalicoPacket[]): string {
  const names = packets.flatMap((p) =>
    [
      rule.source.serviceAccountSelector ? p.source : null,
      rule.destination.serviceAccountSelector ? p.destination : null,
    ]
      .filter(
        (peer): peer is CalicoPeer =>
          peer !== null && !peer.serviceAccountLabelsComplete && peer.serviceAccount !== null,
      )
      .map((peer) => `${peer.namespace ?? ''}/${peer.serviceAccount ?? ''}`),
  );
  return [...new Set(names)].join(', ');
}

function calicoClauses(
  rule: CalicoRule,
  index: number,
  q: DirectionQuery,
  all: readonly CalicoPacket[],
  ns: string | null,
): Clause[] {
  const at = `${q.direction}[${index}]`;
  const protocolOk = all.some((p) =>
    ruleMatches({ ...rule, source: EMPTY_CALICO_ENTITY, destination: EMPTY_CALICO_ENTITY }, p, ns),
  );
  return [
    {
      field: `${at}.protocol`,
      ok: protocolOk,
      expected: rule.protocol ?? 'any',
      actual: q.protocol,
    },
    {
      field: `${at}.source`,
      ok: all.some((p) => entityMatches(rule.source, p.source, ns, p.protocol, 'source')),
      expected: describeEntity(rule.source),
      actual: `${describeEndpoint(q.source)}${serviceAccountSuffix(rule.source, all[0]?.source)}`,
    },
    {
      field: `${at}.destination`,
      ok: all.some((p) => entityMatches(rule.destination, p.destination, ns, p.protocol, 'destination')),
      expected: describeEntity(rule.destination),
      actual: `${describeEndpoint(q.destination)}:${q.port}${serviceAccountSuffix(rule.destination, all[0]?.destination)}`,
    },
  ];
}

const described = new WeakMap<CalicoEntityRule, string>();

export function describeEntity(e: CalicoEntityRule): string {
  let text = described.get(e);
  if (text === undefined) described.set(e, (text = entityText(e)));
  return text;
}

function entityText(e: CalicoEntityRule): string {
  const parts: string[] = [];
  if (e.selector) parts.push(`selector ${formatCalicoSelector(e.selector)}`);
  if (e.notSelector) parts.push(`notSelector ${formatCalicoSelector(e.notSelector)}`);
  if (e.namespaceSelector) parts.push(`namespaceSelector ${formatCalicoSelector(e.namespaceSelector)}`);
  if (e.serviceAccountNames.length) parts.push(`serviceAccounts ${e.serviceAccountNames.join(',')}`);
  if (e.serviceAccountSelector)
    parts.push(`serviceAccounts.selector ${formatCalicoSelector(e.serviceAccountSelector)}`);
  if (e.service) parts.push(`services ${e.service.namespace ? `${e.service.namespace}/` : ''}${e.service.name}`);
  if (e.nets.length) parts.push(`nets ${e.nets.join(',')}`);
  if (e.notNets.length) parts.push(`notNets ${e.notNets.join(',')}`);
  const port = (p: (typeof e.ports)[number]) =>
    'name' in p ? p.name : p.min === p.max ? `${p.min}` : `${p.min}:${p.max}`;
  if (e.ports.length) parts.push(`ports ${e.ports.map(port).join(',')}`);
  if (e.notPorts.length) parts.push(`notPorts ${e.notPorts.map(port).join(',')}`);
  return parts.length ? parts.join(' ') : 'any';
}

const NO_MISSES: readonly RuleMiss[] = [];
const NOTHING_LOGGED: readonly PolicyMention[] = [];

function runCalico(member: Extract<Member, { type: 'calico' }>, q: DirectionQuery, snapshot: Snapshot): MemberRun {
  const all = packets(snapshot, q);
  const ns = member.policy.namespace;
  const rules: [number, CalicoRule][] = [];
  const missed: CalicoMissed = { member, q, packets: all, rules };
  const logged: PolicyMention[] = [];
  for (const [i, rule] of member.policy[q.direction].entries()) {
    const m = calicoRuleMatch(rule, all, ns, snapshot);
    if (m === false) {
      rules.push([i, rule]);
      continue;
    }
    if (m !== true) return { missed, logged, outcome: { unknown: true, rule: i }, uncertain: m };
    if (rule.action === 'Log') logged.push(memberMention(member, q, i, 'logged'));
    else if (rule.action === 'Pass') return { missed, logged, uncertain: null, outcome: { pass: true, rule: i } };
    else return { missed, logged, uncertain: null, outcome: { end: rule.action, rule: i } };
  }
  return { missed, logged, uncertain: null, outcome: null };
}

function runKubernetes(
  member: Extract<Member, { type: 'kubernetes' }>,
  q: DirectionQuery,
  snapshot: Snapshot,
): MemberRun {
  const missed: RuleMiss[] = [];
  const rules = q.direction === 'ingress' ? member.policy.ingress : member.policy.egress;
  for (const [i, rule] of rules.entries()) {
    const { match, clauses } = kubernetesRuleMatch(rule, q.direction, i, q, member.policy, snapshot);
    if (match === true) return { outcome: { end: 'Allow', rule: i }, missed, logged: NOTHING_LOGGED, uncertain: null };
    if (match !== false)
      return { outcome: { unknown: true, rule: i }, missed, logged: NOTHING_LOGGED, uncertain: match };
    missed.push({ policy: memberMention(member, q, i, 'no-match'), clauses });
  }
  return { outcome: null, missed, logged: NOTHING_LOGGED, uncertain: null };
}

function runAdmin(member: Extract<Member, { type: 'admin' }>, q: DirectionQuery, snapshot: Snapshot): MemberRun {
  const rules = q.direction === 'ingress' ? member.policy.ingress : member.policy.egress;
  const run = { missed: NO_MISSES, logged: NOTHING_LOGGED };
  for (const [i, rule] of rules.entries()) {
    const match = adminRuleMatch(rule, q, snapshot);
    if (match === false) continue;
    if (match !== true) return { ...run, outcome: { unknown: true, rule: i }, uncertain: match };
    const outcome: RuleOutcome = rule.action === 'Pass' ? { pass: true, rule: i } : { end: rule.action, rule: i };
    return { ...run, outcome, uncertain: null };
  }
  return { ...run, outcome: null, uncertain: null };
}

export function runMember(member: Member, q: DirectionQuery, snapshot: Snapshot): MemberRun {
  switch (member.type) {
    case 'calico':
      return runCalico(member, q, snapshot);
    case 'kubernetes':
      return runKubernetes(member, q, snapshot);
    case 'admin':
      return runAdmin(member, q, snapshot);
    default:
      return assertNever(member, 'Calico tier member');
  }
}
