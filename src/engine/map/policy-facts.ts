/**
 * What the policies in a Snapshot can tell apart, found by one generic walk over every policy
 * collection (so kinds added later are covered without a change here): the label keys selectors
 * read, the CIDRs that address blocks name, and the port numbers rules and Services mention,
 * per namespace. Pods that agree on all of these are one class for `map` (README "map and diff").
 */
import type { NetworkPolicy, Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { parseIpOrCidr, type Cidr } from '../../util/cidr.js';
import { captureRanges } from '../istio/capture.js';
import { PROTOCOL_NUMBERS } from '../calico/rule-match.js';
import type { PortRange } from './port-intervals.js';

/** Snapshot fields that hold the things policies are about, not policies. */
export const NOT_POLICY = new Set([
  'source',
  'namespaces',
  'pods',
  'groups',
  'index',
  'assumptions',
  'findings',
  'ignoredKinds',
  'detectedCni',
  // their labels reach answers only through pod.serviceAccount, which every pod class carries
  'serviceAccounts',
]);

const CLUSTER_SCOPE = '';
/** a protocol written as its number (Calico `protocol: 17`, numorstring.Protocol) names that protocol too */
const PROTOCOL_OF_NUMBER = new Map(Object.entries(PROTOCOL_NUMBERS).map(([name, n]) => [n, name]));
/** an object's own address (a Service's ClusterIP), not an address block a rule names */
export const ADDRESS_OF_OBJECT = /^(clusterIPs?|ip|podIPs?|hostIP|loadBalancerIP)$/;
const SELECTOR_KEYS = /^(selector|podSelector|namespaceSelector|serviceAccountSelector|workloadSelector)$/;

export interface PolicyFacts {
  /** label keys any selector reads; null when some selector is an expression we cannot read keys from */
  readonly labelKeys: ReadonlySet<string> | null;
  readonly cidrs: readonly Cidr[];
  /** the port ranges (a single port is a range of one) mentioned per namespace, keyed `a-b` */
  readonly rangesByNamespace: ReadonlyMap<string, ReadonlyMap<string, PortRange>>;
  /** protocols named anywhere in the policies, besides TCP */
  readonly protocols: ReadonlySet<string>;
  /** port names rules and Services refer to (a named port resolves to a container port of that name) */
  readonly portNames: ReadonlySet<string>;
}

/** A value written as an address or address block (an IP is a block of one), else null. */
export function addressBlockOf(value: unknown): Cidr | null {
  if (typeof value !== 'string' || value.length > 64 || !(value.includes('.') || value.includes(':'))) return null;
  return parseIpOrCidr(value);
}

/** The sidecars' outbound capture ranges: they tell destinations inside them from those outside. */
export function captureBlocks(snapshot: Snapshot): Cidr[] {
  return snapshot.pods.flatMap((pod) => captureRanges(pod).flatMap((range) => parseIpOrCidr(range) ?? []));
}

interface Walk {
  /** false while walking NetworkPolicies: their ranges are a pod's own (policyRangesOf), not the namespace's */
  rangesPerNamespace: boolean;
  labelKeys: Set<string> | null;
  readonly cidrs: Map<string, Cidr>;
  readonly ranges: Map<string, Map<string, PortRange>>;
  readonly protocols: Set<string>;
  readonly portNames: Set<string>;
  readonly seen: Set<object>;
}

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** A range of ports some rule or Service names (a port is a range of one): what can set its ports apart from the rest. */
function addRange(walk: Walk, namespace: string, a: number, b: number): void {
  if (!walk.rangesPerNamespace || !isPort(a) || !isPort(b) || b < a) return;
  let ranges = walk.ranges.get(namespace);
  if (!ranges) walk.ranges.set(namespace, (ranges = new Map()));
  ranges.set(`${a}-${b}`, [a, b]);
}

function addPort(walk: Walk, namespace: string, value: unknown): void {
  if (typeof value === 'number') addRange(walk, namespace, value, value);
  else if (typeof value === 'string') {
    // "8080", and Calico's "1000:2000" ranges
    const m = /^(\d+)(?::(\d+))?$/.exec(value.trim());
    if (m) addRange(walk, namespace, Number(m[1]), Number(m[2] ?? m[1]));
    else walk.portNames.add(value.trim());
  }
}

/**
 * A range of ports written as two numbers in one object: NetworkPolicy `{port, endPort}`
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports)
 * and AdminNetworkPolicy `portRange: {start, end}` (https://network-policy-api.sigs.k8s.io/reference/spec/).
 * Only its ends are cuts; null when the object is not such a range.
 */
function rangeOf(record: Record<string, unknown>, parentKey: string): [number, number] | null {
  if (isPort(record['port']) && isPort(record['endPort'])) return [record['port'], record['endPort']];
  if (!/port/i.test(parentKey)) return null;
  if (isPort(record['start']) && isPort(record['end'])) return [record['start'], record['end']];
  // Calico numorstring.Port (projectcalico/calico:api/pkg/lib/numorstring/port.go): {minPort, maxPort}, here {min, max}
  if (isPort(record['min']) && isPort(record['max'])) return [record['min'], record['max']];
  return null;
}

const RANGE_KEYS = new Set(['port', 'endPort', 'start', 'end', 'min', 'max']);

function addSelectorKeys(walk: Walk, value: unknown): void {
  if (walk.labelKeys === null) return;
  if (typeof value === 'string') {
    if (value.trim() !== '') walk.labelKeys = null;
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  const keys = walk.labelKeys;
  if ('matchLabels' in record || 'matchExpressions' in record) {
    for (const k of Object.keys((record.matchLabels as object | null) ?? {})) keys.add(k);
    for (const e of (record.matchExpressions as { key?: unknown }[] | null) ?? []) {
      if (typeof e?.key === 'string') keys.add(e.key);
    }
  } else {
    for (const k of Object.keys(record)) keys.add(k);
  }
}

function visit(walk: Walk, value: unknown, namespace: string, key: string, depth: number): void {
  if (depth > 40 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (/port/i.test(key)) addPort(walk, namespace, value);
    if (/^(UDP|SCTP)$/i.test(value)) walk.protocols.add(value.toUpperCase());
    const cidr = ADDRESS_OF_OBJECT.test(key) ? null : addressBlockOf(value);
    if (cidr) walk.cidrs.set(cidr.text, cidr);
    return;
  }
  if (typeof value === 'number') {
    if (/port/i.test(key)) addPort(walk, namespace, value);
    const named = /protocol/i.test(key) ? PROTOCOL_OF_NUMBER.get(value) : undefined;
    if (named === 'UDP' || named === 'SCTP') walk.protocols.add(named);
    return;
  }
  if (typeof value !== 'object' || walk.seen.has(value)) return;
  walk.seen.add(value);
  if (Array.isArray(value) || value instanceof Set) {
    for (const item of value) visit(walk, item, namespace, key, depth + 1);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) visitEntry(walk, String(k), v, namespace, key, depth);
    return;
  }
  const record = value as Record<string, unknown>;
  const ns = typeof record.namespace === 'string' && depth <= 2 ? record.namespace : namespace;
  const range = rangeOf(record, key);
  if (range) addRange(walk, ns, range[0], range[1]);
  // a named port as an object (AdminNetworkPolicy `namedPort`, Calico's port names); Service and container
  // port names are taken too, which only adds cuts
  if (/port/i.test(key) && typeof record['name'] === 'string') walk.portNames.add(record['name']);
  for (const [k, v] of Object.entries(record)) {
    if (range && RANGE_KEYS.has(k)) continue;
    visitEntry(walk, k, v, ns, key, depth);
  }
}

/** One key of an object or Map: a map keyed by port number (portLevelMtls) names ports in its keys. */
function visitEntry(walk: Walk, k: string, v: unknown, namespace: string, parentKey: string, depth: number): void {
  if (k === 'loc' || k === 'lines') return;
  if (SELECTOR_KEYS.test(k)) addSelectorKeys(walk, v);
  const numericKeyOfPortMap = /port/i.test(parentKey) && /^\d+$/.test(k);
  if (numericKeyOfPortMap) addPort(walk, namespace, k);
  visit(walk, v, namespace, numericKeyOfPortMap ? parentKey : k, depth + 1);
}

/**
 * What of a Service can tell two pod ports apart. The map's flows go to pod ports, and a Service
 * matters to a flow only through the Service port whose targetPort is that pod port (explain/ports.ts
 * servicePortOfPodPort, targetPortOn): so `targetPort` (a number, or a name resolved to a container
 * port) is a cut, and the Service's own `port` is not (the converter sets targetPort to port when
 * it is omitted, as https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service says).
 */
function podSideOfService(service: Service): object {
  return { ...service, ports: service.ports.map(({ port: _port, ...rest }) => rest) };
}

export function policyFacts(snapshot: Snapshot): PolicyFacts {
  const walk: Walk = {
    rangesPerNamespace: true,
    labelKeys: new Set(),
    cidrs: new Map(),
    ranges: new Map(),
    protocols: new Set(),
    portNames: new Set(),
    seen: new Set(),
  };
  for (const [field, value] of Object.entries(snapshot)) {
    if (NOT_POLICY.has(field)) continue;
    // a NetworkPolicy's ports can only split the ports of flows from or to the pods it selects
    walk.rangesPerNamespace = field !== 'networkPolicies';
    visit(walk, field === 'services' ? snapshot.services.map(podSideOfService) : value, CLUSTER_SCOPE, field, 0);
  }
  walk.rangesPerNamespace = true;
  for (const cidr of captureBlocks(snapshot)) walk.cidrs.set(cidr.text, cidr);
  return {
    labelKeys: walk.labelKeys,
    cidrs: [...walk.cidrs.values()],
    rangesByNamespace: walk.ranges,
    protocols: walk.protocols,
    portNames: walk.portNames,
  };
}

const NO_RANGES: ReadonlyMap<string, PortRange> = new Map();

/** The port ranges the policies and Services of a namespace ('' = cluster-scoped) mention. */
export function rangesOf(facts: PolicyFacts, namespace: string): ReadonlyMap<string, PortRange> {
  return facts.rangesByNamespace.get(namespace) ?? NO_RANGES;
}

/**
 * The port ranges of the NetworkPolicies that select `pod` (both directions): a NetworkPolicy
 * applies only to the pods its podSelector selects, as ingress to them and egress from them
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-networkpolicy-resource),
 * so its ports can tell two ports apart only on a flow from or to one of them. A named port is
 * in PolicyFacts.portNames (the container ports it resolves to are cut per pod).
 */
export function policyRangesOf(policies: readonly NetworkPolicy[]): PortRange[] {
  const ranges: PortRange[] = [];
  for (const policy of policies)
    for (const rule of [...policy.ingress, ...policy.egress])
      // the model's string ports are names (a quoted number is refused: model/convert/ports.ts), and its
      // numbers and endPorts are validated there
      for (const p of rule.ports ?? []) if (typeof p.port === 'number') ranges.push([p.port, p.endPort ?? p.port]);
  return ranges;
}
