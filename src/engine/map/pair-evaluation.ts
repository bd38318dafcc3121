/**
 * One pair of map peers (a pod class's representative, or an external address class): what the
 * engine's own flow evaluation (the function `explain` runs) answers, once per port class that
 * no rule can split, grouped into connections (allowed or conditional) and denials.
 */
import type { Protocol } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { connectionFlow, type Endpoint, type FlowContext } from '../flow.js';
import type { FlowResult } from '../explain/flow-eval.js';
import { declaredAppProtocol, servicePortOfPodPort } from '../explain/ports.js';
import type { PolicyFacts } from './policy-facts.js';
import { mergeRanges, type PortRange } from './port-intervals.js';
import { MAP_PROTOCOLS, pairProbes, type PairProbe, type PeerEndpoint } from './pair-probes.js';
import { evaluateNetworkFirst } from './network-first.js';
import { httpSummaryKey, httpSummaryOf, type HttpSummary } from './http-summary.js';

const PROTOCOL_ORDER = new Map(MAP_PROTOCOLS.map((p, i) => [p, i]));

export interface MapConnection {
  readonly protocol: Protocol;
  readonly ports: readonly PortRange[];
  readonly verdict: 'allowed' | 'conditional';
  readonly http: HttpSummary | null;
  /** the client presents Istio mutual TLS */
  readonly mtls: boolean;
  readonly by: readonly string[];
  readonly conditions?: readonly string[];
}

export interface MapDenied {
  readonly protocol: Protocol;
  readonly ports: readonly PortRange[];
  readonly layer: string | null;
  readonly by: readonly string[];
}

export interface PairResult {
  readonly connections: MapConnection[];
  readonly denied: MapDenied[];
}

interface Outcome {
  readonly verdict: 'allowed' | 'conditional' | 'denied';
  readonly by: string[];
  readonly http: HttpSummary | null;
  readonly layer: string | null;
  readonly conditions: string[];
  readonly mtls: boolean;
}

function decidingRules(result: FlowResult): string[] {
  const refs = new Set<string>();
  for (const step of result.steps) {
    if (!step.effective) continue;
    for (const p of step.policies) {
      if (p.rule !== null && p.effect === 'allowed') refs.add(p.ruleRef);
    }
  }
  return [...refs];
}

function outcomeOf(result: FlowResult): Outcome {
  const conditions = result.conditions.map((c) => `${c.code}: ${c.message}`);
  const layer = result.decidedBy?.layer ?? null;
  const mtls = result.clientTls === 'istio-mutual';
  if (result.verdict === 'allowed')
    return { verdict: 'allowed', by: decidingRules(result), http: null, layer, conditions, mtls };
  if (result.verdict === 'denied') {
    const http = layer === 'authz-allow' ? httpSummaryOf(result.steps) : null;
    if (http) return { verdict: 'conditional', by: [], http, layer, conditions: [], mtls };
    // a denial is reported by its layer and rule only (MapDenied): nothing else may split its ports
    const by = result.decidedBy?.policy ? [result.decidedBy.policy.ruleRef] : [];
    return { verdict: 'denied', by, http: null, layer, conditions: [], mtls: false };
  }
  // explain may answer an HTTP port asked without a request `conditional` at authz-allow: the same summary
  const allowStep = result.steps.find((s) => s.layer === 'authz-allow' && s.effective);
  const http = allowStep?.verdict === 'conditional' ? httpSummaryOf(result.steps) : null;
  return { verdict: 'conditional', by: decidingRules(result), http, layer, conditions, mtls };
}

/** Equal for two outcomes exactly when they are equal (a denial names at most one rule). */
function outcomeKey(o: Outcome): string {
  if (o.verdict === 'denied') return `denied|${o.layer}|${o.by.join(',')}`;
  return JSON.stringify([o.verdict, o.mtls, o.by, httpSummaryKey(o.http), o.conditions]);
}

function endpointOf(peer: PeerEndpoint): Endpoint {
  return peer.type === 'pod' ? { type: 'pod', pod: peer.pod } : { type: 'ip', ip: peer.external.representative };
}

/** The flow the map evaluates for a pair, a protocol and a port (explain's own, answering only the verdict). */
export function flowFor(
  snapshot: Snapshot,
  src: PeerEndpoint,
  dst: PeerEndpoint,
  protocol: Protocol,
  port: number,
): FlowContext {
  const dstPod = dst.type === 'pod' ? dst.pod : null;
  const declared = dstPod ? servicePortOfPodPort(snapshot, dstPod, port, protocol) : null;
  return connectionFlow(endpointOf(src), endpointOf(dst), protocol, port, {
    cni: snapshot.detectedCni,
    appProtocol: declaredAppProtocol(declared),
    verdictOnly: true,
  });
}

/** A pair's answer, and a text equal for two answers exactly when they are equal (what the map shares answers by). */
export interface PairAnswer {
  readonly result: PairResult;
  readonly key: string;
}

/**
 * UDP and SCTP flows differ to the engine only where a policy or Service names one of them (as in
 * protocolClasses: NetworkPolicy ports default to TCP, AdminNetworkPolicy and Calico rules name
 * their protocol, Istio proxies neither), so when neither is named an SCTP flow gets the verdict,
 * deciding layer and rule of the UDP flow on the same port. A denial is nothing more (MapDenied),
 * so SCTP takes UDP's denial; any other UDP outcome may carry texts that name the protocol
 * (conditions), and then SCTP is evaluated itself.
 */
function udpAndSctpAlike(facts: PolicyFacts): boolean {
  return !facts.protocols.has('UDP') && !facts.protocols.has('SCTP');
}

/** One probe's outcome: explain's evaluation, or UDP's denial for SCTP (`udpDenials`: by port, when they are alike). */
function probeOutcome(
  snapshot: Snapshot,
  src: PeerEndpoint,
  dst: PeerEndpoint,
  probe: PairProbe,
  udpDenials: Map<number, Outcome> | null,
): Outcome {
  const { protocol, port } = probe;
  const shared = protocol === 'SCTP' ? udpDenials?.get(port) : undefined;
  if (shared) return shared;
  // a NetworkPolicy denial is decided before the Istio layers (network-first.ts): skip them
  const outcome = outcomeOf(evaluateNetworkFirst(snapshot, flowFor(snapshot, src, dst, protocol, port)));
  if (protocol === 'UDP' && outcome.verdict === 'denied') udpDenials?.set(port, outcome);
  return outcome;
}

export function evaluatePair(snapshot: Snapshot, facts: PolicyFacts, src: PeerEndpoint, dst: PeerEndpoint): PairAnswer {
  const probes = pairProbes(snapshot, facts, src, dst);
  const connections: MapConnection[] = [];
  const denied: MapDenied[] = [];
  const keys: string[] = [];
  const udpDenials = udpAndSctpAlike(facts) ? new Map<number, Outcome>() : null;
  for (const protocol of MAP_PROTOCOLS) {
    const groups = new Map<string, { outcome: Outcome; ranges: PortRange[] }>();
    for (const probe of probes) {
      if (probe.protocol !== protocol) continue;
      const outcome = probeOutcome(snapshot, src, dst, probe, udpDenials);
      const key = outcomeKey(outcome);
      const group = groups.get(key);
      if (group) group.ranges.push(...probe.ports);
      else groups.set(key, { outcome, ranges: [...probe.ports] });
    }
    for (const [key, { outcome, ranges }] of groups) {
      const ports = mergeRanges([...ranges].sort((a, b) => a[0] - b[0]));
      // an outcome's key names every field of its connection or denial but the protocol and ports
      keys.push(`${protocol}:${ports.join(' ')}:${key}`);
      if (outcome.verdict === 'denied') {
        denied.push({ protocol, ports, layer: outcome.layer, by: outcome.by });
        continue;
      }
      connections.push({
        protocol,
        ports,
        verdict: outcome.verdict,
        http: outcome.http,
        mtls: outcome.mtls,
        by: outcome.by,
        ...(outcome.conditions.length > 0 ? { conditions: outcome.conditions } : {}),
      });
    }
  }
  const first = (c: { ports: readonly PortRange[] }): number => c.ports[0]?.[0] ?? 0;
  connections.sort(
    (a, b) => (PROTOCOL_ORDER.get(a.protocol) ?? 0) - (PROTOCOL_ORDER.get(b.protocol) ?? 0) || first(a) - first(b),
  );
  return { result: { connections, denied }, key: JSON.stringify(keys) };
}
