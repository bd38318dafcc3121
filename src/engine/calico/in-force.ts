/**
 * The Calico policies in force on a pod, by tier (pure): what the pod detail lists. The same plan
 * the evaluation walks (members.ts): tiers in order, the members selecting the pod in each, by
 * order (projectcalico/calico:felix/calc/policy_resolver.go sendEndpointUpdate gives an endpoint
 * the tiers with a policy selecting it, policies in PolKVLess order).
 */
import type { Direction, Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { calicoInForce } from './evaluate.js';
import { calicoKind } from './member-rules.js';
import { tierPlanFor, type Member } from './members.js';
import { enforcedView } from './staged.js';
import { sortTiersAsPlanned } from './tier-order.js';
import type { CalicoTier } from '../../model/calico/policy.js';

export interface TierInForce {
  readonly tier: string;
  /** null: no order (after every ordered tier) */
  readonly order: number | null;
  /** 'Deny' or 'Pass': what the end of the tier does */
  readonly defaultAction: 'Deny' | 'Pass';
  readonly ingress: readonly string[];
  readonly egress: readonly string[];
}

/** `Kind ns/name (order N)`, as Calico names the policy. */
function memberLabel(m: Member): string {
  const ns = m.type === 'admin' ? null : m.policy.namespace;
  return `${calicoKind(m)} ${ns ? `${ns}/` : ''}${m.policy.name} (order ${m.order ?? 'none'})`;
}

/** null when Calico is not in force (the Kubernetes tiers decide) or the pod is not a workload endpoint. */
export function calicoTiersInForce(snapshot: Snapshot, pod: Pod): TierInForce[] | null {
  if (!calicoInForce(snapshot) || pod.hostNetwork) return null;
  const byTier = new Map<string, { tier: CalicoTier; ingress: string[]; egress: string[] }>();
  for (const direction of ['ingress', 'egress'] as const satisfies readonly Direction[])
    for (const step of tierPlanFor(snapshot, pod, direction, enforcedView(snapshot))) {
      let t = byTier.get(step.tier.name);
      if (!t) byTier.set(step.tier.name, (t = { tier: step.tier, ingress: [], egress: [] }));
      t[direction].push(...step.members.map(memberLabel));
    }
  // each direction's plan is in tier order; merged, the tiers keep the order of the plans
  const order = [...byTier.values()].map((t) => t.tier);
  return sortTiersAsPlanned(order).map((tier) => {
    const t = byTier.get(tier.name) as { ingress: string[]; egress: string[] };
    return {
      tier: tier.name,
      order: tier.order,
      defaultAction: tier.defaultAction,
      ingress: t.ingress,
      egress: t.egress,
    };
  });
}
