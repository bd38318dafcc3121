import type { Direction, Protocol } from '../../model/k8s.js';
import type { Cni } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { PolicyMention, RuleMiss } from '../explanation.js';

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
export type Tier = 'admin' | 'networkpolicy' | 'baseline' | 'default' | 'self';

export interface TierResult {
  readonly verdict: 'allowed' | 'denied';
  readonly tier: Tier;
  /** the deciding rule(s), or the isolating policies when nothing allowed */
  readonly policies: readonly PolicyMention[];
  /** rules that did not match, with the failing clause, when isolation denied */
  readonly misses: readonly RuleMiss[];
  /** admin policies that passed to the next tier */
  readonly passedBy?: readonly PolicyMention[];
  /** AdminNetworkPolicies of the deciding one's priority that would decide differently (order undefined) */
  readonly undefinedOrder?: readonly string[];
}
