/**
 * The order Calico runs policy in, and what each action does (pure).
 * Tiers: projectcalico/calico:felix/calc/policy_sorter.go TierLess — ordered tiers first by
 * order, no order last, ties by name. Policies: PolKVLess — order (none = +Inf), ties by the
 * string "name/namespace/kind". Actions (api/pkg/apis/projectcalico/v3/policy_common.go and
 * https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy): Allow and Deny
 * end evaluation, Pass skips to the next tier, Log records and continues; a tier whose policies
 * select the endpoint but none matched ends in the tier's defaultAction (tier.go: Deny unless Pass);
 * when every tier passed or none selected the endpoint, the endpoint's profiles decide
 * (Kubernetes kns./ksa. profiles allow).
 */
import type { CalicoPolicy, CalicoRule, CalicoTier } from '../../model/calico/policy.js';
import { assertNever } from '../../util/assert-never.js';

export type CalicoDirection = 'ingress' | 'egress';

export interface CalicoDecision {
  readonly action: 'Allow' | 'Deny';
  /** null: the profiles decided (no tier ended evaluation). */
  readonly tier: string | null;
  readonly policy: CalicoPolicy | null;
  /** Index of the deciding rule; -1 for a tier's end-of-tier action (as Calico logs it). */
  readonly rule: number | null;
  /** Tiers left by a Pass rule or a Pass default action, in order. */
  readonly passedTiers: readonly string[];
  /** Log rules that matched on the way: [policy, rule index]. */
  readonly logged: readonly (readonly [CalicoPolicy, number])[];
}

function orderKey(order: number | null): number {
  return order ?? Number.POSITIVE_INFINITY;
}

export function compareTiers(a: CalicoTier, b: CalicoTier): number {
  const [x, y] = [orderKey(a.order), orderKey(b.order)];
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function tieKey(p: CalicoPolicy): string {
  return `${p.name}/${p.namespace ?? ''}/${p.kind}`;
}

export function comparePolicies(a: CalicoPolicy, b: CalicoPolicy): number {
  const [x, y] = [orderKey(a.order), orderKey(b.order)];
  if (x !== y) return x < y ? -1 : 1;
  const [s, t] = [tieKey(a), tieKey(b)];
  return s < t ? -1 : s > t ? 1 : 0;
}

/** A policy's tier; a tier named by policies but not defined behaves as Deny at the end (tier.go default). */
function tiersOf(tiers: readonly CalicoTier[], policies: readonly CalicoPolicy[]): CalicoTier[] {
  const byName = new Map(tiers.map((t) => [t.name, t]));
  for (const p of policies) {
    if (!byName.has(p.tier)) byName.set(p.tier, { name: p.tier, order: null, defaultAction: 'Deny', loc: null });
  }
  return [...byName.values()].sort(compareTiers);
}

type RuleOutcome = { end: 'Allow' | 'Deny'; rule: number } | { pass: true; rule: number } | null;

function firstDecidingRule(
  policy: CalicoPolicy,
  rules: readonly CalicoRule[],
  matches: (p: CalicoPolicy, rule: CalicoRule) => boolean,
  logged: [CalicoPolicy, number][],
): RuleOutcome {
  for (const [i, rule] of rules.entries()) {
    if (!matches(policy, rule)) continue;
    switch (rule.action) {
      case 'Allow':
      case 'Deny':
        return { end: rule.action, rule: i };
      case 'Pass':
        return { pass: true, rule: i };
      case 'Log':
        logged.push([policy, i]);
        break;
      default:
        return assertNever(rule.action, 'Calico action');
    }
  }
  return null;
}

/**
 * Run the enforced (non-staged) policies that apply to the endpoint in one direction.
 * `applies` says whether a policy selects the endpoint for that direction; `matches` whether a rule matches the packet.
 */
export function decideCalico(
  tiers: readonly CalicoTier[],
  policies: readonly CalicoPolicy[],
  direction: CalicoDirection,
  applies: (p: CalicoPolicy) => boolean,
  matches: (p: CalicoPolicy, rule: CalicoRule) => boolean,
): CalicoDecision {
  const passedTiers: string[] = [];
  const logged: [CalicoPolicy, number][] = [];
  const selected = policies.filter(
    (p) => p.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && applies(p),
  );
  for (const tier of tiersOf(tiers, selected)) {
    const inTier = selected.filter((p) => p.tier === tier.name).sort(comparePolicies);
    if (inTier.length === 0) continue;
    let passed = false;
    for (const policy of inTier) {
      const outcome = firstDecidingRule(policy, policy[direction], matches, logged);
      if (outcome === null) continue;
      if ('end' in outcome)
        return { action: outcome.end, tier: tier.name, policy, rule: outcome.rule, passedTiers, logged };
      passed = true;
      break;
    }
    // felix/rules/endpoints.go: the end-of-tier drop (NFLOG prefix names only the tier, rule -1);
    // we also name the tier's last selecting policy so the reader knows where to add a rule.
    if (!passed && tier.defaultAction === 'Deny') {
      const last = inTier[inTier.length - 1] as CalicoPolicy;
      return { action: 'Deny', tier: tier.name, policy: last, rule: -1, passedTiers, logged };
    }
    passedTiers.push(tier.name);
  }
  return { action: 'Allow', tier: null, policy: null, rule: null, passedTiers, logged };
}
