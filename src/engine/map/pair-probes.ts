/**
 * The evaluations that answer a pair of map peers: one per protocol and port class that no rule,
 * Service or container port can split (port-intervals.ts portClasses). A pair's port classes come
 * from what its two peers bring (their named and capture ports, the ranges their namespaces'
 * policies name, the ranges of the NetworkPolicies that select them) and the cluster-wide ranges; peers that bring the same share one list, so the
 * classes of a pair of such lists are computed once per map, not once per pair of pod classes.
 */
import type { ContainerPort, Pod, Protocol } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { capturePorts } from '../istio/capture.js';
import { policyRangesOf, rangesOf, type PolicyFacts } from './policy-facts.js';
import { networkPoliciesSelecting } from '../network-policy/kubernetes.js';
import type { ExternalClass } from './external-classes.js';
import { ALL_PORTS, portClasses, type PortRange } from './port-intervals.js';

export const MAP_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** What a pair is evaluated between: a pod (its class's representative) or an external address class. */
export type PeerEndpoint =
  { readonly type: 'pod'; readonly pod: Pod } | { readonly type: 'external'; readonly external: ExternalClass };

/** One evaluation the map makes for a pair: a protocol, the port it asks, and the ports its answer stands for. */
export interface PairProbe {
  readonly protocol: Protocol;
  readonly port: number;
  readonly ports: readonly PortRange[];
}

type Ranges = Map<string, PortRange>;

function namedPortsIn(ports: readonly ContainerPort[], names: ReadonlySet<string>): number[] {
  return ports.filter((p) => p.name !== null && names.has(p.name)).map((p) => p.containerPort);
}

/** The port ranges one pod brings to any pair it is in (an external peer brings none). */
function podRanges(snapshot: Snapshot, facts: PolicyFacts, pod: Pod): Ranges {
  // Istio's own ports (HBONE 15008, xDS 15012) are not named here: the engine dials them itself on hops
  // and mesh checks, never compares a flow's port with them; a rule about one port number names it
  const ranges: Ranges = new Map();
  const single = (p: number): void => void ranges.set(`${p}-${p}`, [p, p]);
  // a container port matters only as what a named port resolves to (network-policy/endpoint.ts resolveNamedPort)
  for (const c of [...pod.containers, ...pod.initContainers]) namedPortsIn(c.ports, facts.portNames).forEach(single);
  capturePorts(pod).forEach(single);
  for (const [key, range] of rangesOf(facts, pod.namespace)) ranges.set(key, range);
  for (const [a, b] of policyRangesOf(networkPoliciesSelecting(snapshot, pod))) ranges.set(`${a}-${b}`, [a, b]);
  return ranges;
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

/** The probes of a pair whose peers bring `src` and `dst`, with the cluster-wide and root namespace ranges. */
function probesFor(snapshot: Snapshot, facts: PolicyFacts, src: Ranges, dst: Ranges): PairProbe[] {
  const ranges: Ranges = new Map([...src, ...dst]);
  for (const ns of ['', snapshot.istio.mesh.rootNamespace])
    for (const [key, range] of rangesOf(facts, ns)) ranges.set(key, range);
  const named = [...ranges.values()].filter(([a, b]) => a >= 1 && b <= 65535 && a <= b);
  const classes = portClasses(named);
  return MAP_PROTOCOLS.flatMap((protocol) =>
    protocolClasses(facts, protocol, classes).map((ports) => ({ protocol, port: ports[0]?.[0] ?? 1, ports })),
  );
}

/** Per Snapshot and its PolicyFacts: each pod's ranges as a number (equal ranges, equal number), and the probes per pair of numbers. */
interface ProbeMemo {
  readonly snapshot: Snapshot;
  readonly idOfPod: WeakMap<Pod, number>;
  readonly idOfKey: Map<string, number>;
  /** by id; id 0 is an external peer's: no ranges */
  readonly ranges: Ranges[];
  readonly probes: Map<number, Map<number, PairProbe[]>>;
}

const memos = new WeakMap<PolicyFacts, ProbeMemo>();

function memoOf(snapshot: Snapshot, facts: PolicyFacts): ProbeMemo {
  let memo = memos.get(facts);
  if (!memo || memo.snapshot !== snapshot) {
    memo = { snapshot, idOfPod: new WeakMap(), idOfKey: new Map([['', 0]]), ranges: [new Map()], probes: new Map() };
    memos.set(facts, memo);
  }
  return memo;
}

function rangesId(memo: ProbeMemo, facts: PolicyFacts, peer: PeerEndpoint): number {
  if (peer.type !== 'pod') return 0;
  let id = memo.idOfPod.get(peer.pod);
  if (id !== undefined) return id;
  const ranges = podRanges(memo.snapshot, facts, peer.pod);
  const key = [...ranges.keys()].sort().join(',');
  id = memo.idOfKey.get(key);
  if (id === undefined) {
    id = memo.ranges.push(ranges) - 1;
    memo.idOfKey.set(key, id);
  }
  memo.idOfPod.set(peer.pod, id);
  return id;
}

/** The evaluations that answer a pair: one per protocol and port class (shared, read only). */
export function pairProbes(
  snapshot: Snapshot,
  facts: PolicyFacts,
  src: PeerEndpoint,
  dst: PeerEndpoint,
): readonly PairProbe[] {
  const memo = memoOf(snapshot, facts);
  const a = rangesId(memo, facts, src);
  const b = rangesId(memo, facts, dst);
  let row = memo.probes.get(a);
  if (!row) memo.probes.set(a, (row = new Map()));
  let probes = row.get(b);
  if (!probes) row.set(b, (probes = probesFor(snapshot, facts, memo.ranges[a] as Ranges, memo.ranges[b] as Ranges)));
  return probes;
}
