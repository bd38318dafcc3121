/**
 * Calico denials: flow records with action Deny (Goldmane/Whisker, Calico Enterprise flow logs),
 * eBPF `policy DENIED` verdicts, felix policy lines with `action=deny`, and iptables `calico-packet`
 * LOG lines. A LOG line only says a `Log` rule matched (Log does not decide, projectcalico/calico#6418),
 * so it is a `likely` denial; the eBPF verdict says DENIED itself.
 */
import type { Layer } from '../engine/index.js';
import { formatRuleRef, sectionRuleRef } from '../model/rule-ref.js';
import type { CalicoBpfVerdict, CalicoFlow, CalicoPacketLog, CalicoPolicyLog } from '../parsers/log-event.js';
import { attributeFlow, flowEndpoint } from './calico-denial.js';
import type { DenialRequest } from './denial.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { fixedReporter } from './reporter.js';
import { resolveAddress } from './resolve-peer.js';

const NO_POLICY = { policy: null, ruleRef: null, policyId: null, policyInSnapshot: null } as const;

function requestOf(protocol: string | null, port: number | null): DenialRequest {
  const p = protocol === null ? null : protocol.toUpperCase() === 'TCP' || protocol === '6' ? 'TCP' : null;
  return { protocol: p, method: null, path: null, host: null, port, sni: null, status: null };
}

const denies = (hits: CalicoFlow['pending']): boolean => hits.some((h) => (h.action ?? '').toLowerCase() === 'deny');

/**
 * A denied flow; or, for an allowed flow whose pending (staged) trace denies it, a shadow denial:
 * staged policies are reported, never decide (README "Calico policy", Staged).
 */
export function flowDraft(ctx: CorrelationContext, event: CalicoFlow): DraftResult | null {
  const denied = event.action.toLowerCase() === 'deny';
  if (!denied && !denies(event.pending)) return null;
  const a = attributeFlow(ctx.snapshot, denied ? event : { ...event, enforced: event.pending, pending: [] });
  const draft: Draft = {
    kind: 'Denial',
    time: event.startTime ?? event.time,
    cause: 'calico-flow',
    source: flowEndpoint(ctx.snapshot, event.source.namespace, event.source.name),
    destination: flowEndpoint(ctx.snapshot, event.destination.namespace, event.destination.name),
    request: requestOf(event.protocol, event.destPort),
    layer: a.layer,
    policy: a.policy,
    ruleRef: a.policy?.ruleRef ?? null,
    policyId: null,
    policyInSnapshot: a.inSnapshot,
    enforcement: denied ? 'enforced' : 'shadow',
    attribution: a.exact ? 'exact' : 'unknown',
    confidence: 'certain',
    reporter: fixedReporter('calico', event.origin),
    ...(a.tier === null ? {} : { tier: a.tier }),
    reason: denied ? a.reason : `staged policy, not enforced (the flow was allowed): ${a.reason}`,
    nearestMiss: [],
    heuristicJoin: false,
    evidence: event.evidence,
  };
  return { draft, enrich: { type: 'none' } };
}

function portOfAddr(addr: string | null): number | null {
  const colon = addr === null ? -1 : addr.lastIndexOf(':');
  const n = colon === -1 ? NaN : Number((addr as string).slice(colon + 1));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** `caliXXX-I` sees packets leaving the workload (its egress), `-E` packets entering it (ingress). */
export function bpfDraft(ctx: CorrelationContext, e: CalicoBpfVerdict): DraftResult | null {
  if (e.verdict !== 'DENIED') return null;
  const fromWorkload = e.iface.startsWith('cali') && e.hook === 'I';
  const layer: Layer = fromWorkload ? 'networkpolicy-egress' : 'networkpolicy-ingress';
  const draft: Draft = {
    kind: 'Denial',
    time: e.time,
    cause: 'calico-log',
    source: resolveAddress(ctx.snapshot, e.src, null),
    destination: resolveAddress(ctx.snapshot, e.dst, null),
    request: requestOf(e.protocol === 6 ? 'TCP' : null, portOfAddr(e.dst)),
    layer,
    ...NO_POLICY,
    enforcement: 'enforced',
    attribution: 'unknown',
    confidence: 'certain',
    reporter: fixedReporter('calico', e.origin),
    reason: `Calico eBPF policy DENIED on ${e.iface} (${fromWorkload ? 'egress of the workload' : 'ingress'}); the verdict line does not name the policy`,
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
  return { draft, enrich: { type: 'none' } };
}

export function policyLogDraft(ctx: CorrelationContext, e: CalicoPolicyLog): DraftResult | null {
  if (e.action !== 'deny') return null;
  const h = e.hit;
  const rule = h.ruleIndex !== null && h.ruleIndex >= 0 ? h.ruleIndex : null;
  const draft: Draft = {
    kind: 'Denial',
    time: e.time,
    cause: 'calico-log',
    source: resolveAddress(ctx.snapshot, e.src, null),
    destination: resolveAddress(ctx.snapshot, e.dst, null),
    request: requestOf(null, portOfAddr(e.dst)),
    layer: null,
    policy: {
      kind: h.kind,
      namespace: h.namespace,
      name: h.name,
      rule,
      ruleRef: formatRuleRef(
        sectionRuleRef(h.kind, h.namespace, h.name, 'ingress', h.ruleIndex === -2 ? null : h.ruleIndex, h.tier),
      ),
    },
    ruleRef: null,
    policyId: null,
    policyInSnapshot: null,
    enforcement: 'enforced',
    attribution: h.ruleIndex !== null && h.ruleIndex >= -1 ? 'exact' : 'policy',
    confidence: 'certain',
    reporter: fixedReporter('calico', e.origin),
    ...(h.tier === null ? {} : { tier: h.tier }),
    reason: `Calico ${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name} denied${rule === null ? ' (end of tier)' : ` by rule ${rule}`}`,
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
  return { draft: { ...draft, ruleRef: draft.policy?.ruleRef ?? null }, enrich: { type: 'none' } };
}

/**
 * `calico-drop` is no Log rule: Felix logs with it every packet its policy denies when
 * FelixConfiguration `dropActionOverride` is `LogAndDrop` (or `LogAndAccept`, which then lets the
 * packet through): Calico docs, FelixConfiguration resource, `dropActionOverride` ("each denied
 * packet is logged in syslog", example `... kernel: [ 1156.246182] calico-drop: IN=tunl0 ...`).
 */
const DROP_PREFIX = 'calico-drop';

export function packetLogDraft(ctx: CorrelationContext, e: CalicoPacketLog): DraftResult {
  const denied = e.prefix === DROP_PREFIX;
  const draft: Draft = {
    kind: 'Denial',
    time: e.time,
    cause: 'calico-log',
    source: resolveAddress(ctx.snapshot, e.src, null),
    destination: resolveAddress(ctx.snapshot, e.dst, null),
    request: requestOf(e.protocol, e.dstPort),
    layer: (e.inInterface ?? '').startsWith('cali') ? 'networkpolicy-egress' : 'networkpolicy-ingress',
    ...NO_POLICY,
    enforcement: 'enforced',
    attribution: 'unknown',
    confidence: denied ? 'certain' : 'likely',
    reporter: fixedReporter('calico', e.origin),
    reason: denied
      ? 'Calico policy denied this packet (calico-drop: Felix logs each packet its policy denies when dropActionOverride is LogAndDrop; LogAndAccept would have let it through)'
      : `a Calico Log rule logged this packet (${e.prefix}); Log rules usually precede a Deny, but the line itself has no verdict`,
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
  return { draft, enrich: { type: 'none' } };
}
