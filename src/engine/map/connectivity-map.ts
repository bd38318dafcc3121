/**
 * `meshdbg map`: for every ordered pair of workloads, what is allowed end to end across every
 * layer, per protocol as port ranges, with the rules that decide it (DESIGN.md "map and diff").
 * Each answer is the engine's own flow evaluation (the function `explain` runs), once per pair of
 * pod classes and per port interval that no rule can split, so the map agrees with `explain`.
 */
import type { Pod, Protocol } from '../../model/k8s.js';
import type { PodGroup, Snapshot } from '../../model/snapshot.js';
import type { Endpoint, FlowContext } from '../flow.js';
import { evaluateFlow, type FlowResult } from '../explain/flow-eval.js';
import { declaredAppProtocol, servicePortOfPodPort } from '../explain/ports.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { dataplaneMode } from '../../model/ambient.js';
import { capturePorts } from '../istio/capture.js';
import { classify, podClassSignature } from './pod-classes.js';
import { policyFacts, portsOf, type PolicyFacts } from './policy-facts.js';
import { externalClasses, type ExternalClass } from './external-classes.js';
import {
  ALL_PORTS,
  intervalsFrom,
  ISTIO_PORTS,
  mergeRanges,
  singlePortCuts,
  type PortRange,
} from './port-intervals.js';
import { httpSummaryKey, httpSummaryOf, type HttpSummary } from './http-summary.js';

export const MAP_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PROTOCOL_ORDER = new Map(MAP_PROTOCOLS.map((p, i) => [p, i]));

export interface MapWorkload {
  readonly id: string;
  readonly namespace: string | null;
  readonly kind: string;
  readonly name: string;
  readonly pods: readonly string[];
  readonly sidecar: boolean;
  readonly ambient: boolean;
}

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

export interface MapEdge {
  readonly src: string;
  readonly dst: string;
  readonly connections: readonly MapConnection[];
  /** what the pair is refused, when asked for */
  readonly denied?: readonly MapDenied[];
}

export interface MapOptions {
  /** only these namespaces' workloads (null: all) */
  readonly namespaces: ReadonlySet<string> | null;
  /** only edges into or out of this workload id */
  readonly focus: string | null;
  readonly includeDenied: boolean;
  /** only edges into or out of these namespaces' workloads, to and from any peer (the TUI's `:map`) */
  readonly touching?: ReadonlySet<string> | null;
}

type Peer =
  | { readonly type: 'pod'; readonly workload: MapWorkload; readonly pod: Pod; readonly classId: number }
  | {
      readonly type: 'external';
      readonly workload: MapWorkload;
      readonly external: ExternalClass;
      readonly classId: number;
    };

function workloadOf(group: PodGroup, snapshot: Snapshot): MapWorkload {
  const pod = group.pods[0] as Pod;
  const ambient = dataplaneMode(pod, snapshot.namespaces.get(pod.namespace)) === 'ambient';
  return {
    id: `${group.namespace}/${group.kind}/${group.name}`,
    namespace: group.namespace,
    kind: group.kind,
    name: group.name,
    pods: group.pods.map((p) => p.name),
    sidecar: podHasSidecar(pod),
    ambient,
  };
}

function externalWorkload(c: ExternalClass): MapWorkload {
  return { id: c.id, namespace: null, kind: 'External', name: c.cidr, pods: [], sidecar: false, ambient: false };
}

export interface MapPlan {
  readonly workloads: readonly MapWorkload[];
  readonly pairs: () => Generator<MapEdge>;
}

interface PairResult {
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
    const by = result.decidedBy?.policy ? [result.decidedBy.policy.ruleRef] : [];
    return { verdict: 'denied', by, http: null, layer, conditions, mtls };
  }
  // explain may answer an HTTP port asked without a request `conditional` at authz-allow: the same summary
  const allowStep = result.steps.find((s) => s.layer === 'authz-allow' && s.effective);
  const http = allowStep?.verdict === 'conditional' ? httpSummaryOf(result.steps) : null;
  return { verdict: 'conditional', by: decidingRules(result), http, layer, conditions, mtls };
}

function outcomeKey(o: Outcome): string {
  return `${o.verdict}|${o.mtls}|${o.by.join(',')}|${httpSummaryKey(o.http)}|${o.conditions.join(';')}`;
}

function endpointOf(peer: Peer): Endpoint {
  return peer.type === 'pod' ? { type: 'pod', pod: peer.pod } : { type: 'ip', ip: peer.external.representative };
}

function cutsFor(snapshot: Snapshot, facts: PolicyFacts, src: Peer, dst: Peer): PortRange[] {
  const namespaces = new Set(['', snapshot.istio.mesh.rootNamespace]);
  const cuts: number[] = singlePortCuts(ISTIO_PORTS);
  for (const peer of [src, dst]) {
    if (peer.type !== 'pod') continue;
    namespaces.add(peer.pod.namespace);
    for (const c of [...peer.pod.containers, ...peer.pod.initContainers])
      cuts.push(...singlePortCuts(c.ports.map((p) => p.containerPort)));
    cuts.push(...singlePortCuts(capturePorts(peer.pod)));
  }
  for (const ns of namespaces) cuts.push(...portsOf(facts, ns));
  return intervalsFrom(cuts);
}

function flowFor(snapshot: Snapshot, src: Peer, dst: Peer, protocol: Protocol, port: number): FlowContext {
  const dstPod = dst.type === 'pod' ? dst.pod : null;
  const declared = dstPod ? servicePortOfPodPort(snapshot, dstPod, port, protocol) : null;
  return {
    source: endpointOf(src),
    destination: endpointOf(dst),
    protocol,
    port,
    servicePort: null,
    service: null,
    appProtocol: declaredAppProtocol(declared),
    http: null,
    mtlsOverride: null,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    cni: snapshot.detectedCni,
    verdictOnly: true,
  };
}

/**
 * A port can only be told apart from another for UDP or SCTP by a rule that names that protocol:
 * NetworkPolicy ports default to TCP (https://kubernetes.io/docs/concepts/services-networking/network-policies/),
 * AdminNetworkPolicy ports name theirs, and Istio never proxies UDP/SCTP. When no policy or Service
 * names the protocol, one evaluation answers for every port.
 */
function protocolIntervals(
  facts: PolicyFacts,
  protocol: Protocol,
  intervals: readonly PortRange[],
): readonly PortRange[] {
  return protocol === 'TCP' || facts.protocols.has(protocol) ? intervals : [ALL_PORTS];
}

function evaluatePair(snapshot: Snapshot, facts: PolicyFacts, src: Peer, dst: Peer): PairResult {
  const intervals = cutsFor(snapshot, facts, src, dst);
  const connections: MapConnection[] = [];
  const denied: MapDenied[] = [];
  for (const protocol of MAP_PROTOCOLS) {
    const groups = new Map<string, { outcome: Outcome; ranges: PortRange[] }>();
    for (const range of protocolIntervals(facts, protocol, intervals)) {
      const outcome = outcomeOf(evaluateFlow(snapshot, flowFor(snapshot, src, dst, protocol, range[0])));
      const key = outcomeKey(outcome);
      const group = groups.get(key);
      if (group) group.ranges.push(range);
      else groups.set(key, { outcome, ranges: [range] });
    }
    for (const { outcome, ranges } of groups.values()) {
      const ports = mergeRanges(ranges);
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
  return { connections, denied };
}

function inScope(workload: MapWorkload, options: MapOptions): boolean {
  return workload.namespace === null || options.namespaces === null || options.namespaces.has(workload.namespace);
}

function podPeers(snapshot: Snapshot, facts: PolicyFacts, options: MapOptions): Peer[] {
  const groups = snapshot.groups.filter((g) => g.pods.length > 0);
  const classes = classify(groups, (g) => podClassSignature(g.pods[0] as Pod, facts));
  const peers: Peer[] = groups.map((group, i) => ({
    type: 'pod',
    workload: workloadOf(group, snapshot),
    pod: group.pods[0] as Pod,
    classId: classes.classOf[i] as number,
  }));
  return peers.filter((p) => inScope(p.workload, options));
}

function externalPeers(snapshot: Snapshot, facts: PolicyFacts, firstClassId: number): Peer[] {
  const taken = new Set<string>([...snapshot.index.podByIp.keys(), ...snapshot.index.serviceByIp.keys()]);
  return externalClasses(facts.cidrs, taken).map((external, i) => ({
    type: 'external',
    workload: externalWorkload(external),
    external,
    classId: firstClassId + i,
  }));
}

function touches(namespaces: ReadonlySet<string>, src: Peer, dst: Peer): boolean {
  return [src, dst].some((p) => p.workload.namespace !== null && namespaces.has(p.workload.namespace));
}

/** Workloads first, then edges lazily (a generator), so output can stream. */
export function planMap(snapshot: Snapshot, options: MapOptions): MapPlan {
  const facts = policyFacts(snapshot);
  const pods = podPeers(snapshot, facts, options);
  const externals = externalPeers(
    snapshot,
    facts,
    pods.reduce((m, p) => Math.max(m, p.classId + 1), 0),
  );
  const peers = [...pods, ...externals];
  const cache = new Map<string, PairResult>();
  const resultFor = (src: Peer, dst: Peer): PairResult => {
    const key = `${src.classId}>${dst.classId}`;
    let result = cache.get(key);
    if (!result) cache.set(key, (result = evaluatePair(snapshot, facts, src, dst)));
    return result;
  };
  function* pairs(): Generator<MapEdge> {
    for (const src of peers) {
      for (const dst of peers) {
        if (src === dst || (src.type === 'external' && dst.type === 'external')) continue;
        if (options.focus !== null && src.workload.id !== options.focus && dst.workload.id !== options.focus) continue;
        if (options.touching && !touches(options.touching, src, dst)) continue;
        const result = resultFor(src, dst);
        if (result.connections.length === 0 && !(options.includeDenied && result.denied.length > 0)) continue;
        yield {
          src: src.workload.id,
          dst: dst.workload.id,
          connections: result.connections,
          ...(options.includeDenied ? { denied: result.denied } : {}),
        };
      }
    }
  }
  return { workloads: peers.map((p) => p.workload), pairs };
}
