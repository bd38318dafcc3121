/**
 * Calico refuses a policy exactly where Calico's validation does, and accepts what it accepts.
 * Sources (projectcalico/calico, commit 87c15906f20c, 2026-08-22):
 *  - CEL: api/pkg/apis/projectcalico/v3/policy_common.go (Rule, ICMPFields, EntityRule),
 *    globalnetworkpolicy.go, networkpolicy.go (GlobalNetworkPolicySpec / NetworkPolicySpec);
 *  - Go: libcalico-go/lib/validator/v3/validator.go (function named per row), the cases of
 *    validator_test.go quoted in each row name where one exists.
 * A row: the kind, its spec (YAML), and the field of the one error expected (null: accepted).
 */
import { describe, expect, it } from 'vitest';
import { convertCalicoObjects } from '../../../src/model/convert/calico-objects.js';
import type { Finding } from '../../../src/model/findings.js';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';

interface Row {
  readonly rule: string;
  readonly source: string;
  readonly kind?: string;
  readonly spec: string;
  readonly metadata?: string;
  /** the field of the error Calico reports, or null when Calico accepts */
  readonly error: string | null;
}

const CEL_RULE = 'policy_common.go Rule XValidation';
const CEL_ENTITY = 'policy_common.go EntityRule XValidation';
const CEL_GNP = 'globalnetworkpolicy.go GlobalNetworkPolicySpec XValidation';
const V = 'validator.go';

const ROWS: readonly Row[] = [
  // actions and ipVersion (Action enum, Rule.IPVersion enum 4;6)
  {
    rule: 'should accept log action',
    source: 'policy_common.go Action enum',
    spec: 'ingress: [{action: Log}]',
    error: null,
  },
  {
    rule: 'should accept Pass',
    source: 'policy_common.go Action enum',
    spec: 'ingress: [{action: Pass}]',
    error: null,
  },
  {
    rule: 'should reject unknown action',
    source: 'policy_common.go Action enum',
    spec: 'ingress: [{action: allowfoo}]',
    error: 'spec.ingress[0].action',
  },
  {
    rule: 'should accept IP version 6',
    source: 'policy_common.go Rule.IPVersion',
    spec: 'ingress: [{action: Allow, ipVersion: 6}]',
    error: null,
  },
  {
    rule: 'should reject IP version 0',
    source: 'policy_common.go Rule.IPVersion',
    spec: 'ingress: [{action: Allow, ipVersion: 0}]',
    error: 'spec.ingress[0].ipVersion',
  },
  // protocols (validateProtocol)
  {
    rule: 'should accept protocol UDPLite',
    source: `${V} validateProtocol`,
    spec: 'ingress: [{action: Allow, protocol: UDPLite}]',
    error: null,
  },
  {
    rule: 'should accept protocol 255 as string',
    source: `${V} validateProtocol`,
    spec: "ingress: [{action: Allow, protocol: '255'}]",
    error: null,
  },
  {
    rule: 'should reject protocol 0 as int',
    source: `${V} validateProtocol`,
    spec: 'ingress: [{action: Allow, protocol: 0}]',
    error: 'spec.ingress[0].protocol',
  },
  {
    rule: 'should reject protocol 256 as string',
    source: `${V} validateProtocol`,
    spec: "ingress: [{action: Allow, protocol: '256'}]",
    error: 'spec.ingress[0].protocol',
  },
  {
    rule: 'should reject protocol tcp',
    source: `${V} validateProtocol protocolRegex`,
    spec: 'ingress: [{action: Allow, protocol: tcp}]',
    error: 'spec.ingress[0].protocol',
  },
  {
    rule: 'should reject protocol tcpfoo',
    source: `${V} validateProtocol`,
    spec: 'ingress: [{action: Allow, notProtocol: tcpfoo}]',
    error: 'spec.ingress[0].notProtocol',
  },
  // ports (validateRule, validatePort, numorstring PortFromString)
  {
    rule: 'should accept Rule with dest ports and protocol type tcp',
    source: `${V} validateRule`,
    spec: 'ingress: [{action: Allow, protocol: TCP, destination: {ports: [1]}}]',
    error: null,
  },
  {
    rule: 'should accept Rule with source !ports and protocol type 17',
    source: `${V} validateRule`,
    spec: 'ingress: [{action: Allow, protocol: 17, source: {notPorts: [1]}}]',
    error: null,
  },
  {
    rule: 'should allow Rule with dest ports and protocol type sctp',
    source: `${V} validateRule`,
    spec: "ingress: [{action: Allow, protocol: SCTP, destination: {ports: ['10:20']}}]",
    error: null,
  },
  {
    rule: 'should reject Rule with dest ports and no protocol',
    source: `${V} validateRule`,
    spec: 'ingress: [{action: Allow, destination: {ports: [1]}}]',
    error: 'spec.ingress[0].destination.ports',
  },
  {
    rule: 'should accept Rule with dest named ports and no protocol',
    source: `${V} validateRule AllPortsAreNamed`,
    spec: 'ingress: [{action: Allow, destination: {ports: [foo]}}]',
    error: null,
  },
  {
    rule: 'should reject Rule with source ports and protocol type 7',
    source: `${V} validateRule SupportsPorts`,
    spec: 'ingress: [{action: Allow, protocol: 7, source: {ports: [1]}}]',
    error: 'spec.ingress[0].source.ports',
  },
  {
    rule: 'ports with UDPLite (SupportsPorts: TCP, UDP, SCTP only)',
    source: `numorstring/protocol.go SupportsPorts`,
    spec: 'ingress: [{action: Allow, protocol: UDPLite, destination: {ports: [53]}}]',
    error: 'spec.ingress[0].destination.ports',
  },
  {
    rule: 'should accept Rule with empty dest !ports and protocol type ICMPv6',
    source: `${V} validateRule`,
    spec: 'ingress: [{action: Allow, ipVersion: 6, protocol: ICMPv6, destination: {notPorts: []}}]',
    error: null,
  },
  {
    rule: 'should reject Rule with invalid port (port 0)',
    source: `${V} validatePort`,
    spec: 'ingress: [{action: Allow, protocol: TCP, destination: {notPorts: [0]}}]',
    error: 'spec.ingress[0].destination.notPorts[0]',
  },
  {
    rule: 'should reject Rule with one invalid port in the port range (MinPort 0)',
    source: `${V} validatePort`,
    spec: "ingress: [{action: Allow, protocol: TCP, destination: {notPorts: ['0:100']}}]",
    error: 'spec.ingress[0].destination.notPorts[0]',
  },
  {
    rule: 'port range min > max',
    source: 'numorstring/port.go PortFromRange',
    spec: "ingress: [{action: Allow, protocol: TCP, destination: {ports: ['200:100']}}]",
    error: 'spec.ingress[0].destination.ports[0]',
  },
  {
    rule: 'a port name may start with a digit',
    source: 'numorstring/port.go NamedPort nameRegex',
    spec: "ingress: [{action: Allow, protocol: TCP, destination: {ports: ['8a']}}]",
    error: null,
  },
  // ICMP (CEL on Rule and ICMPFields)
  {
    rule: 'should reject Rule with icmp fields and no protocol',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, ipVersion: 4, icmp: {type: 0}}]',
    error: 'spec.ingress[0].icmp',
  },
  {
    rule: 'icmp with protocol TCP',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: TCP, icmp: {type: 8}}]',
    error: 'spec.ingress[0].icmp',
  },
  {
    rule: 'should not reject Rule with icmp fields and no ipversion',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: ICMP, icmp: {type: 0}}]',
    error: null,
  },
  {
    rule: 'icmp with protocol 58 by number',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: 58, icmp: {type: 128}}]',
    error: null,
  },
  {
    rule: 'notICMP needs no protocol (the CEL rule names icmp only)',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, notICMP: {type: 8}}]',
    error: null,
  },
  {
    rule: 'should reject Rule with mismatched ipversion for icmp',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: ICMP, ipVersion: 6}]',
    error: 'spec.ingress[0].ipVersion',
  },
  {
    rule: 'should reject Rule with mismatched ipversion for icmpv6',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: ICMPv6, ipVersion: 4}]',
    error: 'spec.ingress[0].ipVersion',
  },
  {
    rule: 'notProtocol ICMPv6 with ipVersion 4',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, notProtocol: ICMPv6, ipVersion: 4}]',
    error: 'spec.ingress[0].ipVersion',
  },
  {
    rule: 'should allow Rule with correct ipversion for icmpv6',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: ICMPv6, ipVersion: 6, icmp: {type: 0}}]',
    error: null,
  },
  {
    rule: 'should reject ICMP with code and no type',
    source: 'policy_common.go ICMPFields XValidation',
    spec: 'ingress: [{action: Allow, protocol: ICMP, icmp: {code: 0}}]',
    error: 'spec.ingress[0].icmp.code',
  },
  {
    rule: 'should reject ICMP with type too high',
    source: 'policy_common.go ICMPFields Maximum=254',
    spec: 'ingress: [{action: Allow, protocol: ICMP, icmp: {type: 255}}]',
    error: 'spec.ingress[0].icmp.type',
  },
  // nets (the `net` field validator, validateRule scanNets)
  {
    rule: 'a strictly masked CIDR',
    source: `${V} validateIPNetwork`,
    spec: 'ingress: [{action: Allow, source: {nets: [10.0.0.0/8]}}]',
    error: null,
  },
  {
    rule: 'a CIDR with host bits',
    source: `${V} validateIPNetwork`,
    spec: 'ingress: [{action: Allow, source: {nets: [10.0.0.1/8]}}]',
    error: 'spec.ingress[0].source.nets[0]',
  },
  {
    rule: 'a bare address (cnet.ParseCIDR refuses it)',
    source: `${V} validateRule scanNets`,
    spec: 'ingress: [{action: Allow, source: {nets: [10.0.0.1]}}]',
    error: 'spec.ingress[0].source.nets[0]',
  },
  {
    rule: 'should reject rule mixed IPv4 (src) and IPv6 (dest)',
    source: `${V} validateRule scanNets`,
    spec: "ingress: [{action: Allow, source: {nets: [1.2.3.0/26]}, destination: {nets: ['aabb:aabb::/122']}}]",
    error: 'spec.ingress[0].destination.nets',
  },
  {
    rule: 'should reject rule mixed IPVersion and Source Net IP version',
    source: `${V} validateRule scanNets`,
    spec: 'ingress: [{action: Allow, ipVersion: 6, source: {nets: [1.2.3.4/32]}}]',
    error: 'spec.ingress[0].source.nets',
  },
  {
    rule: 'disallow a NotNets catch-all IPv4 CIDR match',
    source: `${V} validateRule scanNets`,
    spec: 'ingress: [{action: Allow, destination: {notNets: [0.0.0.0/0]}}]',
    error: 'spec.ingress[0].destination.notNets',
  },
  {
    rule: 'disallow a NotNets catch-all IPv6 CIDR match',
    source: `${V} validateRule scanNets`,
    spec: "egress: [{action: Allow, destination: {notNets: ['::/0']}}]",
    error: 'spec.egress[0].destination.notNets',
  },
  {
    rule: 'a catch-all in nets is fine',
    source: `${V} validateRule scanNets`,
    spec: 'egress: [{action: Allow, destination: {nets: [0.0.0.0/0]}}]',
    error: null,
  },
  // http (CEL on Rule, validateHTTPRule, validateGlobalNetworkPolicySpec)
  {
    rule: 'should accept missing protocol with HTTP clause',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, http: {methods: [GET]}}]',
    error: null,
  },
  {
    rule: 'should accept TCP protocol with HTTP clause',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: TCP, http: {methods: [GET]}}]',
    error: null,
  },
  {
    rule: 'should reject Deny rule with HTTP clause',
    source: CEL_RULE,
    spec: 'ingress: [{action: Deny, http: {methods: [GET]}}]',
    error: 'spec.ingress[0].http',
  },
  {
    rule: 'should reject non-TCP protocol with HTTP clause',
    source: CEL_RULE,
    spec: 'ingress: [{action: Allow, protocol: UDP, http: {methods: [GET]}}]',
    error: 'spec.ingress[0].http',
  },
  {
    rule: 'disallow HTTP in egress rule',
    source: `${V} validateGlobalNetworkPolicySpec`,
    spec: 'egress: [{action: Allow, http: {methods: [GET]}}]',
    error: 'spec.egress[0].http',
  },
  {
    rule: 'disallow HTTP Method with duplicate match clause',
    source: `${V} validateHTTPRule`,
    spec: 'ingress: [{action: Allow, http: {methods: [GET, GET]}}]',
    error: 'spec.ingress[0].http.methods',
  },
  {
    rule: 'allow HTTP Path with permitted match clauses',
    source: `${V} validateHTTPRule`,
    spec: 'ingress: [{action: Allow, http: {paths: [{exact: /foo}, {prefix: /bar}]}}]',
    error: null,
  },
  {
    rule: 'disallow HTTP Path with invalid match clauses (both)',
    source: `${V} validateHTTPRule`,
    spec: 'ingress: [{action: Allow, http: {paths: [{exact: /foo, prefix: /bar}]}}]',
    error: 'spec.ingress[0].http.paths[0]',
  },
  {
    rule: 'disallow HTTP Path with empty match clauses',
    source: `${V} validateHTTPRule`,
    spec: 'ingress: [{action: Allow, http: {paths: [{}]}}]',
    error: 'spec.ingress[0].http.paths[0]',
  },
  {
    rule: 'disallow HTTP Path with invalid match clauses (no leading /)',
    source: `${V} validateHTTPRule`,
    spec: 'ingress: [{action: Allow, http: {paths: [{exact: foo}]}}]',
    error: 'spec.ingress[0].http.paths[0]',
  },
  {
    rule: 'disallow HTTP Path with invalid match clauses (?)',
    source: `${V} validateHTTPRule`,
    spec: "ingress: [{action: Allow, http: {paths: [{prefix: '/foo?a=b'}]}}]",
    error: 'spec.ingress[0].http.paths[0]',
  },
  // selectors and services (CEL on EntityRule, validateEntityRule, validateNetworkPolicySpec)
  {
    rule: 'disallow bad selectors in EntityRule selector field',
    source: `${V} validateSelector`,
    spec: "ingress: [{action: Allow, source: {selector: 'thing=hello &'}}]",
    error: 'spec.ingress[0].source.selector',
  },
  {
    rule: 'disallow global() in EntityRule selector field',
    source: CEL_ENTITY,
    spec: "ingress: [{action: Allow, source: {selector: 'global()'}}]",
    error: 'spec.ingress[0].source.selector',
  },
  {
    rule: 'allow global() in EntityRule namespaceSelector field',
    source: `${V} validateEntityRule`,
    spec: "ingress: [{action: Allow, source: {namespaceSelector: 'global()'}}]",
    error: null,
  },
  {
    rule: "disallow global() in EntityRule namespaceSelector field AND'd with other expressions",
    source: `${V} validateEntityRule`,
    spec: 'ingress: [{action: Allow, source: {namespaceSelector: "global() && k == \'v\'"}}]',
    error: 'spec.ingress[0].source.namespaceSelector',
  },
  {
    rule: 'disallow global() in selector field',
    source: CEL_GNP,
    spec: "selector: 'global()'",
    error: 'spec.selector',
  },
  {
    rule: 'disallow global() in namespaceSelector field',
    source: CEL_GNP,
    spec: "namespaceSelector: 'global()'",
    error: 'spec.namespaceSelector',
  },
  {
    rule: 'disallow global() in serviceAccountSelector field',
    source: 'networkpolicy.go NetworkPolicySpec XValidation',
    kind: 'NetworkPolicy',
    spec: "serviceAccountSelector: 'global()'",
    error: 'spec.serviceAccountSelector',
  },
  {
    rule: 'allow a Service match in an egress rule destination',
    source: `${V} validateNetworkPolicySpec`,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, destination: {services: {name: db}}}]',
    error: null,
  },
  {
    rule: 'disallow a Service match in an egress rule source',
    source: `${V} validateNetworkPolicySpec`,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, source: {services: {name: db}}}]',
    error: 'spec.egress[0].source.services',
  },
  {
    rule: 'disallow a Service match in an ingress rule destination',
    source: `${V} validateNetworkPolicySpec`,
    kind: 'NetworkPolicy',
    spec: 'ingress: [{action: Allow, destination: {services: {name: db}}}]',
    error: 'spec.ingress[0].destination.services',
  },
  {
    rule: 'disallow a Service match AND a Ports match on an egress destination rule',
    source: CEL_RULE,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, protocol: TCP, destination: {services: {name: db}, ports: [80]}}]',
    error: 'spec.egress[0].destination.services',
  },
  {
    rule: 'allow a Service match AND a Ports match specified on the source on an ingress source rule',
    source: CEL_RULE,
    kind: 'NetworkPolicy',
    spec: 'ingress: [{action: Allow, protocol: TCP, source: {services: {name: db}, ports: [80]}}]',
    error: null,
  },
  {
    rule: 'disallow a Service match AND a ServiceAccount match',
    source: CEL_ENTITY,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, destination: {services: {name: db}, serviceAccounts: {names: [a]}}}]',
    error: 'spec.egress[0].destination.services',
  },
  {
    rule: 'disallow a Service match AND a NamespaceSelector match',
    source: CEL_ENTITY,
    kind: 'NetworkPolicy',
    spec: "egress: [{action: Allow, destination: {services: {name: db}, namespaceSelector: 'all()'}}]",
    error: 'spec.egress[0].destination.services',
  },
  {
    rule: 'disallow a Service match AND a NotSelector match',
    source: CEL_ENTITY,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, destination: {services: {name: db}, notSelector: \'a == "b"\'}}]',
    error: 'spec.egress[0].destination.services',
  },
  {
    rule: 'disallow a Service match AND a Nets match',
    source: CEL_ENTITY,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, destination: {services: {name: db}, nets: [10.0.0.0/8]}}]',
    error: 'spec.egress[0].destination.services',
  },
  {
    rule: 'services must specify a service name',
    source: CEL_ENTITY,
    kind: 'NetworkPolicy',
    spec: 'egress: [{action: Allow, destination: {services: {namespace: shop}}}]',
    error: 'spec.egress[0].destination.services.name',
  },
  {
    rule: 'allow a Service match on a GNP',
    source: `${V} validateGlobalNetworkPolicySpec`,
    spec: 'egress: [{action: Allow, destination: {services: {name: db, namespace: shop}}}]',
    error: null,
  },
  {
    rule: 'disallow a Service match without a namespace on a GNP',
    source: `${V} validateGlobalNetworkPolicySpec`,
    spec: 'egress: [{action: Allow, destination: {services: {name: db}}}]',
    error: 'spec.egress[0].destination.services.namespace',
  },
  // types, preDNAT / doNotTrack / applyOnForward (CEL on GlobalNetworkPolicySpec)
  {
    rule: 'allow empty Types',
    source: 'networkpolicy.go Types',
    spec: 'types: []\ningress: [{action: Allow}]',
    error: null,
  },
  {
    rule: 'disallow repeated egress Types',
    source: `${V} validateGlobalNetworkPolicySpec`,
    spec: 'types: [Egress, Egress]',
    error: 'spec.types',
  },
  {
    rule: 'disallow unexpected value',
    source: 'policy_common.go PolicyType enum',
    kind: 'NetworkPolicy',
    spec: 'types: [Sideways]',
    error: 'spec.types[0]',
  },
  {
    rule: 'should reject GlobalNetworkPolicy with both PreDNAT and DoNotTrack',
    source: CEL_GNP,
    spec: 'preDNAT: true\ndoNotTrack: true\napplyOnForward: true',
    error: 'spec.preDNAT',
  },
  {
    rule: 'should accept pre-DNAT GlobalNetworkPolicy ingress rules',
    source: CEL_GNP,
    spec: 'preDNAT: true\napplyOnForward: true\ningress: [{action: Allow}]',
    error: null,
  },
  {
    rule: 'should reject pre-DNAT GlobalNetworkPolicy egress rules',
    source: CEL_GNP,
    spec: 'preDNAT: true\napplyOnForward: true\negress: [{action: Allow}]',
    error: 'spec.egress',
  },
  {
    rule: 'disallow egress Types with pre-DNAT (gnp)',
    source: CEL_GNP,
    spec: 'preDNAT: true\napplyOnForward: true\ntypes: [Ingress, Egress]',
    error: 'spec.types',
  },
  {
    rule: 'should reject GlobalNetworkPolicy DoNotTrack but not ApplyOnForward',
    source: CEL_GNP,
    spec: 'doNotTrack: true',
    error: 'spec.applyOnForward',
  },
  {
    rule: 'should accept GlobalNetworkPolicy ApplyOnForward and DoNotTrack',
    source: CEL_GNP,
    spec: 'doNotTrack: true\napplyOnForward: true',
    error: null,
  },
  {
    rule: 'NetworkPolicy: disallow junk in PerformanceHints field',
    source: 'networkpolicy.go PerformanceHints',
    kind: 'NetworkPolicy',
    spec: 'performanceHints: [Junk]',
    error: 'spec.performanceHints[0]',
  },
  {
    rule: 'NetworkPolicy: disallow dupes in PerformanceHints field',
    source: 'networkpolicy.go PerformanceHints',
    kind: 'NetworkPolicy',
    spec: 'performanceHints: [AssumeNeededOnEveryNode, AssumeNeededOnEveryNode]',
    error: 'spec.performanceHints[1]',
  },
  // staged (validateStagedNetworkPolicy, StagedAction enum)
  {
    rule: "should accept a valid StagedAction value 'Delete'",
    source: `${V} validateStagedNetworkPolicy`,
    kind: 'StagedNetworkPolicy',
    spec: 'stagedAction: Delete\ntier: default',
    error: null,
  },
  {
    rule: "should reject a valid StagedAction value 'Delete' if any other Spec field is set",
    source: `${V} validateStagedNetworkPolicy`,
    kind: 'StagedNetworkPolicy',
    spec: 'stagedAction: Delete\norder: 10',
    error: 'spec.order',
  },
  {
    rule: "should reject a StagedAction value 'Warning'",
    source: 'policy_common.go StagedAction enum',
    kind: 'StagedGlobalNetworkPolicy',
    spec: 'stagedAction: Warning',
    error: 'spec.stagedAction',
  },
  {
    rule: 'StagedAction Learn is in the enum',
    source: 'policy_common.go StagedAction enum',
    kind: 'StagedGlobalNetworkPolicy',
    spec: 'stagedAction: Learn',
    error: null,
  },
  {
    rule: 'should accept an empty StagedAction value',
    source: `${V} validateStagedGlobalNetworkPolicy`,
    kind: 'StagedGlobalNetworkPolicy',
    spec: "stagedAction: ''",
    error: null,
  },
  // tiers and network sets (validateTier, validateNetworkSet)
  {
    rule: 'Tier: disallow dot in name',
    source: `${V} validateTier`,
    kind: 'Tier',
    metadata: 'name: t.h',
    spec: 'order: 10',
    error: 'metadata.name',
  },
  {
    rule: 'Tier: disallow a name of 64 chars',
    source: `${V} validateTier`,
    kind: 'Tier',
    metadata: `name: ${'a'.repeat(64)}`,
    spec: 'order: 10',
    error: 'metadata.name',
  },
  {
    rule: 'Tier: allow a tier with a valid order',
    source: `${V} validateTier`,
    kind: 'Tier',
    metadata: 'name: security',
    spec: 'order: 10',
    error: null,
  },
  {
    rule: 'Tier: disallow default tier with an invalid order',
    source: 'tier.go Tier XValidation',
    kind: 'Tier',
    metadata: 'name: default',
    spec: 'order: 10',
    error: 'spec.order',
  },
  {
    rule: 'should reject NetworkSet with reserved labels',
    source: `${V} validateNetworkSet`,
    kind: 'NetworkSet',
    metadata: 'name: s\n  labels: {projectcalico.org/namespace: shop}',
    spec: 'nets: [10.0.0.0/8]',
    error: 'metadata.labels',
  },
  {
    rule: 'should accept NetworkSetSpec with CIDRs and IPs (not strictly masked)',
    source: `${V} validateCIDR`,
    kind: 'GlobalNetworkSet',
    spec: 'nets: [10.0.0.1/8, 192.168.1.1]',
    error: null,
  },
];

function convert(row: Row): Finding[] {
  const kind = row.kind ?? 'GlobalNetworkPolicy';
  const metadata = row.metadata ?? 'name: p\n  namespace: shop';
  const text = `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata:\n  ${metadata}\nspec:\n${row.spec.replace(/^/gm, '  ')}\n`;
  const findings: Finding[] = [];
  convertCalicoObjects(parseManifestText('calico.yaml', text).objects, 'default', findings);
  return findings.filter((f) => f.severity === 'error');
}

describe("Calico's validation table: refused where Calico refuses, accepted where it accepts", () => {
  it.each(ROWS.map((r) => [`${r.rule} (${r.source})`, r] as const))('%s', (_name, row) => {
    const errors = convert(row);
    if (row.error === null) {
      expect(errors.map((f) => f.message)).toEqual([]);
      return;
    }
    expect(errors.map((f) => f.field)).toEqual([row.error]);
    // file and line of the object, and a reason naming Calico's rule
    expect(errors[0]?.message).toMatch(/^calico\.yaml:\d+: /);
    expect(errors[0]?.loc?.file).toBe('calico.yaml');
  });
  it('covers both verdicts for the rule, entity, policy, staged and tier checks', () => {
    expect(ROWS.filter((r) => r.error === null).length).toBeGreaterThan(25);
    expect(ROWS.filter((r) => r.error !== null).length).toBeGreaterThan(45);
  });
});
