/**
 * Does one Calico rule match a packet (pure)? Field meanings from
 * projectcalico/calico:api/pkg/apis/projectcalico/v3/policy_common.go EntityRule: every field
 * given must match (AND); `selector` picks endpoints (and network sets) by labels, `namespaceSelector`
 * picks the namespaces they live in (in a namespaced policy, no namespaceSelector means the
 * policy's own namespace), `nets`/`notNets` the peer address, `ports`/`notPorts` the port (named
 * ports resolve on the endpoint), `serviceAccounts` the peer's service account; protocol and ICMP
 * fields the packet.
 */
import { calicoSelectorMatches, type CalicoSelectorNode } from '../../model/calico/selector.js';
import type {
  CalicoEntityRule,
  CalicoIcmp,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
} from '../../model/calico/policy.js';
import type { Labels, Protocol } from '../../model/k8s.js';
import { cidrContainsIp, parseIp, parseIpOrCidr } from '../../util/cidr.js';

/** One side of the packet: the endpoint (or address) as Calico sees it. */
export interface CalicoPeer {
  /** Endpoint labels incl. projectcalico.org/namespace, /serviceaccount, /orchestrator; null for a plain address. */
  readonly labels: Labels | null;
  readonly namespace: string | null;
  readonly namespaceLabels: Labels | null;
  readonly serviceAccount: string | null;
  /** Labels of the peer's ServiceAccount (serviceAccounts.selector matches these). */
  readonly serviceAccountLabels: Labels | null;
  /** false when the ServiceAccount object is not in the input (only projectcalico.org/name is known) */
  readonly serviceAccountLabelsComplete: boolean;
  readonly ip: string | null;
  /** The port on this side and the endpoint's named ports (each with its protocol). */
  readonly port: number | null;
  readonly namedPorts: Readonly<Record<string, { readonly port: number; readonly protocol: Protocol }>>;
  /**
   * The Services whose endpoints hold this peer's address, each with the endpoint's ports (a
   * Service's targetPorts resolved on the pod, with their protocols); absent: none.
   */
  readonly services?: readonly CalicoServiceBacking[];
  /**
   * The labels of every endpoint and network set whose nets hold this peer's address (felix's IP
   * set membership, which a notSelector negates); absent: `labels` alone.
   */
  readonly ipSetLabels?: readonly Labels[];
}

/** A Service an address is an endpoint of, as its EndpointSlice lists it. */
export interface CalicoServiceBacking {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol }[];
}

export interface CalicoPacket {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ICMP' | 'ICMPv6';
  readonly icmp: CalicoIcmp | null;
  readonly source: CalicoPeer;
  readonly destination: CalicoPeer;
}

/** numorstring protocol numbers (IANA). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
};

function protocolIs(p: CalicoProtocol, packet: CalicoPacket['protocol']): boolean {
  return (typeof p === 'number' ? p : PROTOCOL_NUMBERS[p]) === PROTOCOL_NUMBERS[packet];
}

function icmpIs(f: CalicoIcmp, packet: CalicoIcmp | null): boolean {
  if (!packet) return false;
  return (f.type === null || f.type === packet.type) && (f.code === null || f.code === packet.code);
}

/**
 * A named port matches the packet's port only when the endpoint's port of that name has the packet's
 * protocol: felix puts `IP,protocol:port` members in a named port's IP set, taking the protocol
 * from the endpoint's port (projectcalico/calico felix/labelindex/named_port_index.go
 * LookupNamedPorts, CalculateEndpointContribution). felix/fv/named_ports_test.go "tests with mixed
 * TCP/UDP" expects a TCP rule naming a UDP port to open nothing.
 */
function portIn(ports: readonly CalicoPort[], peer: CalicoPeer, protocol: CalicoPacket['protocol']): boolean {
  return ports.some((p) => {
    if ('name' in p) {
      const named = peer.namedPorts[p.name];
      return named !== undefined && named.port === peer.port && named.protocol === protocol;
    }
    return peer.port !== null && peer.port >= p.min && peer.port <= p.max;
  });
}

function netIn(nets: readonly string[], peer: CalicoPeer): boolean {
  const ip = peer.ip ? parseIp(peer.ip) : null;
  return (
    ip !== null &&
    nets.some((n) => {
      const cidr = parseIpOrCidr(n);
      return cidr !== null && cidrContainsIp(cidr, ip);
    })
  );
}

/**
 * projectcalico/calico libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go
 * getEndpointSelector: a rule's selector, serviceAccounts or namespaceSelector limit it to endpoints
 * (in the selected namespaces, else in a namespaced policy's own namespace); a notSelector does so
 * too in a namespaced policy ("as soon as _any_ of the selector fields are used, including
 * NotSelector": rules_test.go expects `notSelector: has(label2)` alone to give
 * `projectcalico.org/namespace == 'namespace2'`), but not in a global one, where felix renders a
 * lone notSelector as "not in the IP set" and addresses outside every endpoint match it
 * (felix/calc/rule_scanner.go combineMatchesIfPossible).
 */
function labelsMatch(peer: CalicoPeer, rule: CalicoEntityRule, policyNamespace: string | null): boolean {
  const needsEndpoint =
    rule.selector !== null ||
    rule.namespaceSelector !== null ||
    rule.serviceAccountNames.length > 0 ||
    rule.serviceAccountSelector !== null ||
    (rule.notSelector !== null && policyNamespace !== null);
  if (!needsEndpoint) return true;
  if (!peer.labels) return false;
  if (rule.namespaceSelector) {
    if (!namespaceSelectorMatches(rule.namespaceSelector, peer)) return false;
  } else if (policyNamespace !== null && peer.namespace !== policyNamespace) return false;
  if (rule.selector && !calicoSelectorMatches(rule.selector, peer.labels)) return false;
  if (rule.serviceAccountNames.length > 0 && !rule.serviceAccountNames.includes(peer.serviceAccount ?? ''))
    return false;
  const saSelector = rule.serviceAccountSelector;
  if (saSelector && !(peer.serviceAccountLabels && calicoSelectorMatches(saSelector, peer.serviceAccountLabels)))
    return false;
  return true;
}

/**
 * A rule's namespaceSelector as felix evaluates it (projectcalico/calico
 * libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector): its labels are
 * prefixed `pcns.` and read on the peer itself, so they see the namespace profile's labels of a pod
 * or namespaced NetworkSet and nothing on a GlobalNetworkSet (where `!has(key)` is then true:
 * rules_test.go "should parse a complex namespace selector"); `all()` becomes
 * `has(projectcalico.org/namespace)` (namespaced endpoints and sets only) and `global()` becomes
 * `!has(projectcalico.org/namespace)` (GlobalNetworkSets and host endpoints only; rules_test.go
 * "validates the namespaceselector with label and all()").
 */
function namespaceSelectorMatches(node: CalicoSelectorNode, peer: CalicoPeer): boolean {
  return calicoSelectorMatches(node, peer.namespaceLabels ?? {}, {
    all: peer.namespace !== null,
    global: peer.namespace === null,
  });
}

/**
 * A rule's `services` (policy_common.go ServiceMatch: "If left empty, the rule will match within
 * this policy's namespace") by the Service's EndpointSlices, which felix turns into an IP set
 * (projectcalico/calico felix/calc/rule_scanner.go: a destination Service with
 * ServiceIncludePorts, a source one without; felix/serviceindex/serviceindex.go
 * membersFromEndpointSlice): as a destination the address with the endpoint's port and protocol,
 * as a source the address alone. felix/fv/service_policy_test.go expects exactly that (egress to
 * the Service opens its port 80 only; ingress from it admits every port).
 */
function serviceMatches(
  svc: NonNullable<CalicoEntityRule['service']>,
  peer: CalicoPeer,
  policyNamespace: string | null,
  protocol: CalicoPacket['protocol'],
  side: 'source' | 'destination',
): boolean {
  const namespace = svc.namespace ?? policyNamespace;
  const backing = (peer.services ?? []).find((b) => b.name === svc.name && b.namespace === namespace);
  if (!backing) return false;
  return side === 'source' || backing.ports.some((p) => p.port === peer.port && p.protocol === protocol);
}

export function entityMatches(
  rule: CalicoEntityRule,
  peer: CalicoPeer,
  policyNamespace: string | null,
  protocol: CalicoPacket['protocol'],
  side: 'source' | 'destination',
): boolean {
  if (rule.service && !serviceMatches(rule.service, peer, policyNamespace, protocol, side)) return false;
  if (rule.nets.length > 0 && !netIn(rule.nets, peer)) return false;
  if (rule.notNets.length > 0 && netIn(rule.notNets, peer)) return false;
  if (rule.ports.length > 0 && !portIn(rule.ports, peer, protocol)) return false;
  if (rule.notPorts.length > 0 && portIn(rule.notPorts, peer, protocol)) return false;
  // notSelector: the address must not be in the notSelector's IP set, whichever endpoint or network
  // set put it there (felix/calc/rule_scanner.go renders it as a negated IP set match).
  const notSelector = rule.notSelector;
  if (
    notSelector &&
    (peer.ipSetLabels ?? (peer.labels ? [peer.labels] : [])).some((l) => calicoSelectorMatches(notSelector, l))
  )
    return false;
  return labelsMatch(peer, rule, policyNamespace);
}

export function ruleMatches(rule: CalicoRule, packet: CalicoPacket, policyNamespace: string | null): boolean {
  if (rule.protocol !== null && !protocolIs(rule.protocol, packet.protocol)) return false;
  if (rule.notProtocol !== null && protocolIs(rule.notProtocol, packet.protocol)) return false;
  if (rule.icmp && !icmpIs(rule.icmp, packet.icmp)) return false;
  // notICMP matches ICMP packets of another type/code only: felix renders it as nftables `icmp type != N`
  // (projectcalico/calico:felix/nftables/match_builder.go NotICMPType), whose `icmp` payload carries
  // nft's implicit `meta l4proto icmp` dependency, and as iptables `-m icmp ! --icmp-type N`
  // (felix/iptables/match_builder.go), which the icmp match accepts only for protocol 1.
  if (rule.notIcmp && (packet.icmp === null || icmpIs(rule.notIcmp, packet.icmp))) return false;
  return (
    entityMatches(rule.source, packet.source, policyNamespace, packet.protocol, 'source') &&
    entityMatches(rule.destination, packet.destination, policyNamespace, packet.protocol, 'destination')
  );
}
