/**
 * Calico's own policy objects, typed after projectcalico/calico:api/pkg/apis/projectcalico/v3
 * (policy_common.go Rule/EntityRule, networkpolicy.go, globalnetworkpolicy.go, tier.go,
 * networkset.go, globalnetworkset.go, stagednetworkpolicy.go ...).
 */
import type { NetworkPolicy, SourceLocation } from '../k8s.js';
import type { CalicoSelectorNode } from './selector.js';

/** policy_common.go Action. */
export type CalicoAction = 'Allow' | 'Deny' | 'Log' | 'Pass';

/** numorstring.Port: a number, a range "a:b", or a named port. */
export type CalicoPort = { readonly min: number; readonly max: number } | { readonly name: string };

/** numorstring.Protocol: a name Calico knows (canonical case) or a number 0-255. */
export type CalicoProtocol = 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | 'SCTP' | 'UDPLite' | number;

export interface CalicoIcmp {
  readonly type: number | null;
  readonly code: number | null;
}

export interface CalicoEntityRule {
  readonly nets: readonly string[];
  readonly notNets: readonly string[];
  readonly selector: CalicoSelectorNode | null;
  readonly notSelector: CalicoSelectorNode | null;
  readonly namespaceSelector: CalicoSelectorNode | null;
  readonly serviceAccountNames: readonly string[];
  readonly serviceAccountSelector: CalicoSelectorNode | null;
  readonly ports: readonly CalicoPort[];
  readonly notPorts: readonly CalicoPort[];
  readonly service: { readonly name: string; readonly namespace: string | null } | null;
}

/** An entity rule with no criteria: matches every endpoint. */
export const EMPTY_CALICO_ENTITY: CalicoEntityRule = {
  nets: [],
  notNets: [],
  selector: null,
  notSelector: null,
  namespaceSelector: null,
  serviceAccountNames: [],
  serviceAccountSelector: null,
  ports: [],
  notPorts: [],
  service: null,
};

export interface CalicoRule {
  readonly action: CalicoAction;
  readonly ipVersion: 4 | 6 | null;
  readonly protocol: CalicoProtocol | null;
  readonly notProtocol: CalicoProtocol | null;
  readonly icmp: CalicoIcmp | null;
  readonly notIcmp: CalicoIcmp | null;
  readonly source: CalicoEntityRule;
  readonly destination: CalicoEntityRule;
  /** Application layer policy (http methods/paths): not evaluated by meshdbg, the step is conditional. */
  readonly http: { readonly methods: readonly string[]; readonly paths: readonly string[] } | null;
}

export type CalicoPolicyKind =
  'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy';

export interface CalicoPolicy {
  readonly kind: CalicoPolicyKind;
  /** null for the global kinds. */
  readonly namespace: string | null;
  readonly name: string;
  readonly tier: string;
  /** null: no order, evaluated after every policy with one (policy_common docs: "order"). */
  readonly order: number | null;
  readonly selector: CalicoSelectorNode;
  readonly selectorText: string;
  /** GlobalNetworkPolicy only. */
  readonly namespaceSelector: CalicoSelectorNode | null;
  readonly serviceAccountSelector: CalicoSelectorNode | null;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
  /** Staged kinds: Set (default) or Delete (stagednetworkpolicy.go StagedAction). */
  readonly stagedAction: 'Set' | 'Delete' | null;
  readonly loc: SourceLocation | null;
}

export interface CalicoTier {
  readonly name: string;
  /** null: no order, after every ordered tier. */
  readonly order: number | null;
  /** tier.go defaultAction: what happens at the end of the tier (Deny unless Pass). */
  readonly defaultAction: 'Deny' | 'Pass';
  readonly loc: SourceLocation | null;
}

export interface CalicoNetworkSet {
  readonly global: boolean;
  readonly namespace: string | null;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nets: readonly string[];
  readonly loc: SourceLocation | null;
}

/** A HostEndpoint: policy on a node's interfaces, which meshdbg does not evaluate (answers it may change are conditional). */
export interface CalicoHostEndpoint {
  readonly name: string;
  readonly node: string | null;
  readonly loc: SourceLocation | null;
}

/**
 * A StagedKubernetesNetworkPolicy: the Kubernetes NetworkPolicy it stages (same name, namespace and
 * spec: projectcalico/calico:api/pkg/apis/projectcalico/v3/stagedkubernetesnetworkpolicy.go
 * ConvertStagedKubernetesPolicyToK8SEnforced) and its staged action (Set by default).
 */
export interface CalicoStagedKubernetesPolicy {
  readonly policy: NetworkPolicy;
  readonly stagedAction: 'Set' | 'Delete';
}

/** Every Calico object of the input: the Snapshot's `calico`. */
export interface CalicoResources {
  readonly tiers: readonly CalicoTier[];
  /** enforced policies (NetworkPolicy, GlobalNetworkPolicy) */
  readonly policies: readonly CalicoPolicy[];
  /** Staged* policies: evaluated as a shadow, never deciding */
  readonly staged: readonly CalicoPolicy[];
  /** StagedKubernetesNetworkPolicies: a shadow too, placed as the Kubernetes NetworkPolicy they stage */
  readonly stagedKubernetes: readonly CalicoStagedKubernetesPolicy[];
  readonly networkSets: readonly CalicoNetworkSet[];
  readonly hostEndpoints: readonly CalicoHostEndpoint[];
}

export const EMPTY_CALICO: CalicoResources = {
  tiers: [],
  policies: [],
  staged: [],
  stagedKubernetes: [],
  networkSets: [],
  hostEndpoints: [],
};
