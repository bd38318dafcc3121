/**
 * One pair of map peers (a pod class's representative, or an external address class): what the
 * engine's own flow evaluation (the function `explain` runs) answers, once per port class that
 * no rule can split, grouped into connections (allowed or conditional) and denials.
 */
import type { ContainerPort, Pod, Protocol } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { connectionFlow, type Endpoint, type FlowContext } from '../flow.js';
import type { FlowResult } from '../explain/flow-eval.js';
import { declaredAppProtocol, servicePortOfPodPort } from '../explain/ports.js';
import { capturePorts } from '../istio/capture.js';
import { rangesOf, type PolicyFacts } from './policy-facts.js';
import type { ExternalClass } from './external-classes.js';
import { ALL_PORTS, mergeRanges, portClasses, type PortRange } from './port-intervals.js';
import { evaluateNetworkFirst } from './network-first.js';
import { httpSummaryKey, httpSummaryOf, type HttpSummary } from './http-summary.js';

export const MAP_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
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

/** What a pair is evaluated between: a pod (its class's representative) or an external address class. */
export type PeerEndpoint =
  { readonly type: 'pod'; readonly pod: Pod } | { readonly type: 'external'; readonly external: ExternalClass };

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

function namedPortsIn(ports: readonly ContainerPort[], names: ReadonlySet<string>): number[] {
  return ports.filter((p) => p.name !== null && names.has(p.name)).map((p) => p.containerPort);
}

/** The port ranges that can tell this pair's ports apart (port-intervals.ts portClasses). */
function namedRanges(snapshot: Snapshot, facts: PolicyFacts, src: PeerEndpoint, dst: PeerEndpoint): PortRange[] {
  const namespaces = new Set(['', snapshot.istio.mesh.rootNamespace]);
  // Istio's own ports (HBONE 15008, xDS 15012) are not named here: the engine dials them itself on hops
  // and mesh checks, never compares a flow's port with them; a rule about one port number names it
  const ranges = new Map<string, PortRange>();
  const single = (p: number): void => void ranges.set(`${p}-${p}`, [p, p]);
  for (const peer of [src, dst]) {
    if (peer.type !== 'pod') continue;
    namespaces.add(peer.pod.namespace);
    // a container port matters only as what a named port resolves to (network-policy/endpoint.ts resolveNamedPort)
    for (const c of [...peer.pod.containers, ...peer.pod.initContainers])
      namedPortsIn(c.ports, facts.portNames).forEach(single);
    capturePorts(peer.pod).forEach(single);
  }
  for (const ns of namespaces) for (const [key, range] of rangesOf(facts, ns)) ranges.set(key, range);
  return [...ranges.values()].filter(([a, b]) => a >= 1 && b <= 65535 && a <= b);
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

/**
 * A port can only be told apart from another for UDP or SCTP by a rule that names that protocol:
 * NetworkPolicy ports default to TCP (https://kubernetes.io/docs/concepts/services-networking/network-policies/),
 * AdminNetworkPolicy ports name theirs, and Istio never proxies UDP/SCTP. When no policy or Service
 * names the protocol, one evaluation answers for every port.
 */
function protocolClasses(
  facts: PolicyFacts,
  protocol: Protocol,
  classes: readonly (readonly PortRange[])[],
): readonly (readonly PortRange[])[] {
  return protocol === 'TCP' || facts.protocols.has(protocol) ? classes : [[ALL_PORTS]];
}

/** One evaluation the map makes for a pair: a protocol, the port it asks, and the ports its answer stands for. */
export interface PairProbe {
  readonly protocol: Protocol;
  readonly port: number;
  readonly ports: readonly PortRange[];
}

/** The evaluations that answer a pair: one per protocol and port class. */
export function pairProbes(snapshot: Snapshot, facts: PolicyFacts, src: PeerEndpoint, dst: PeerEndpoint): PairProbe[] {
  const classes = portClasses(namedRanges(snapshot, facts, src, dst));
  return MAP_PROTOCOLS.flatMap((protocol) =>
    protocolClasses(facts, protocol, classes).map((ports) => ({ protocol, port: ports[0]?.[0] ?? 1, ports })),
  );
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
