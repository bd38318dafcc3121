import type { Direction, Protocol } from '../../model/k8s.js';
import type { Cni } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { Fix, PolicyMention, RuleMiss } from '../explanation.js';

/** One direction of one connection: egress at the source, or ingress at the destination. */
export interface DirectionQuery {
  readonly direction: Direction;
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  /** destination (pod) port */
  readonly port: number;
  readonly cni: Cni;
}

/** `self`: a pod's traffic to itself, which no policy can block. */
export type Tier = 'admin' | 'networkpolicy' | 'baseline' | 'default' | 'self' | 'node' | 'calico';

/** Why a match could not be decided from the Snapshot (becomes a `conditions` entry). */
export interface Uncertainty {
  readonly code:
    | 'pod-ip-unknown'
    | 'node-placement-unknown'
    | 'node-peer-unknown'
    | 'calico-http-match'
    | 'calico-service-account-labels'
    | 'calico-service-endpoints'
    | 'calico-host-endpoint';
  readonly message: string;
}

/** yes / no, or unknown with the reason. */
export type Match = true | false | Uncertainty;

export interface TierResult {
  /** `conditional`: it would be denied unless an undecidable match (see `uncertain`) holds */
  readonly verdict: 'allowed' | 'denied' | 'conditional';
  readonly tier: Tier;
  readonly uncertain?: readonly Uncertainty[];
  /** the deciding rule(s), or the isolating policies when nothing allowed */
  readonly policies: readonly PolicyMention[];
  /** rules that did not match, with the failing clause, when isolation denied */
  readonly misses: readonly RuleMiss[];
  /** admin policies that passed to the next tier */
  readonly passedBy?: readonly PolicyMention[];
  /** Calico tiers: the step's one-line summary (tier, policy, rule, passes) */
  readonly summary?: string;
  /** Calico tiers: the fix in the tier that denied, when a Kubernetes NetworkPolicy would not be reached */
  readonly fix?: Fix;
  /** AdminNetworkPolicies of the deciding one's priority that would decide differently (order undefined) */
  readonly undefinedOrder?: readonly string[];
}
