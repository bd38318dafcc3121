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

function compareMembers(a: { order: number | null; tieKey: string }, b: { order: number | null; tieKey: string }) {
  const [x, y] = [orderKey(a.order), orderKey(b.order)];
  if (x !== y) return x < y ? -1 : 1;
  return a.tieKey < b.tieKey ? -1 : a.tieKey > b.tieKey ? 1 : 0;
}

export function comparePolicies(a: CalicoPolicy, b: CalicoPolicy): number {
  return compareMembers({ order: a.order, tieKey: tieKey(a) }, { order: b.order, tieKey: tieKey(b) });
}

/** A policy placed in a tier: a Calico policy, or a Kubernetes/admin policy as Calico converts it. */
export interface TierMember {
  readonly tier: string;
  readonly order: number | null;
  /** PolKVLess's tie-break: "name/namespace/kind" */
  readonly tieKey: string;
}

/** The first rule that ends the policy's say: Allow/Deny end evaluation, Pass leaves the tier, unknown stops with a condition. */
export type RuleOutcome =
  | { readonly end: 'Allow' | 'Deny'; readonly rule: number }
  | { readonly pass: true; readonly rule: number }
  | { readonly unknown: true; readonly rule: number }
  | null;

export type TierWalk<M> =
  | {
      readonly type: 'end';
      readonly action: 'Allow' | 'Deny';
      readonly tier: string;
      readonly member: M;
      readonly rule: number;
      readonly passedTiers: readonly string[];
      readonly defaultPasses: readonly M[];
    }
  | {
      readonly type: 'unknown';
      readonly tier: string;
      readonly member: M;
      readonly rule: number;
      readonly passedTiers: readonly string[];
      readonly defaultPasses: readonly M[];
    }
  | { readonly type: 'profiles'; readonly passedTiers: readonly string[]; readonly defaultPasses: readonly M[] };

/**
 * A policy's tier; a tier named by policies but not defined (no Tier resource) is "invalid" to felix:
 * sorted after every defined tier (felix/calc/policy_sorter.go TierLess: `!i.Valid && j.Valid`),
 * still applied (policy_resolver.go sendEndpointUpdate only logs it), its end of tier a Deny.
 */
function tiersOf(tiers: readonly CalicoTier[], members: readonly TierMember[]): CalicoTier[] {
  const byName = new Map(tiers.map((t) => [t.name, t]));
  for (const p of members) {
    if (byName.has(p.tier)) continue;
    const tier: CalicoTier = { name: p.tier, order: null, defaultAction: 'Deny', loc: null };
    byName.set(p.tier, tier);
    undefinedTiers.add(tier);
  }
  return sortTiersAsPlanned([...byName.values()]);
}

const undefinedTiers = new WeakSet<CalicoTier>();

/** Tiers in walk order: the defined ones by TierLess, then those only policies name. */
export function sortTiersAsPlanned(tiers: readonly CalicoTier[]): CalicoTier[] {
  const defined = tiers.filter((t) => !undefinedTiers.has(t)).sort(compareTiers);
  return defined.concat(tiers.filter((t) => undefinedTiers.has(t)).sort(compareTiers));
}

/** The tiers that hold members, in order, each with its members in order: what a walk visits. */
export interface TierPlanStep<M> {
  readonly tier: CalicoTier;
  readonly members: readonly M[];
}

/** Order the members once (an endpoint's plan is reused by every query that meets it). */
export function planTiers<M extends TierMember>(
  tiers: readonly CalicoTier[],
  members: readonly M[],
): TierPlanStep<M>[] {
  return tiersOf(tiers, members).flatMap((tier) => {
    const inTier = members.filter((p) => p.tier === tier.name).sort(compareMembers);
    return inTier.length ? [{ tier, members: inTier }] : [];
  });
}

/**
 * Walks the members that apply to the endpoint: tiers in order, members by order in each; the
 * first Allow/Deny ends it, Pass skips the rest of the tier, and a tier whose members all fell
 * through ends in its default action: Deny as rule -1 of the tier's last member
 * (felix/rules/endpoints.go "End of tier", flow logs name the tier and rule -1), or Pass.
 */
export function walkPlan<M extends TierMember>(
  plan: readonly TierPlanStep<M>[],
  run: (member: M) => RuleOutcome,
): TierWalk<M> {
  const passedTiers: string[] = [];
  // The last member of each tier its defaultAction Pass let through: felix reports that end of
  // tier as rule -1 of the tier's last enforced policy, action pass (felix/calc/endpoint_lookup_cache.go
  // TierDefaultActionRuleID; felix/fv/tiered_policy_test.go flow logs "0|tier1|gnp:tier1.ep2-4|pass|-1").
  const defaultPasses: M[] = [];
  for (const { tier, members } of plan) {
    let passed = false;
    for (const member of members) {
      const outcome = run(member);
      if (outcome === null) continue;
      if ('end' in outcome)
        return {
          type: 'end',
          action: outcome.end,
          tier: tier.name,
          member,
          rule: outcome.rule,
          passedTiers,
          defaultPasses,
        };
      if ('unknown' in outcome)
        return { type: 'unknown', tier: tier.name, member, rule: outcome.rule, passedTiers, defaultPasses };
      passed = true;
      break;
    }
    const last = members[members.length - 1] as M;
    if (!passed && tier.defaultAction === 'Deny')
      return { type: 'end', action: 'Deny', tier: tier.name, member: last, rule: -1, passedTiers, defaultPasses };
    if (!passed) defaultPasses.push(last);
    passedTiers.push(tier.name);
  }
  return { type: 'profiles', passedTiers, defaultPasses };
}

export function walkTiers<M extends TierMember>(
  tiers: readonly CalicoTier[],
  members: readonly M[],
  run: (member: M) => RuleOutcome,
): TierWalk<M> {
  return walkPlan(planTiers(tiers, members), run);
}

/** Calico's rules of one policy in order; Log rules are recorded and evaluation goes on. */
export function firstDecidingRule<P>(
  policy: P,
  rules: readonly CalicoRule[],
  matches: (p: P, rule: CalicoRule, index: number) => boolean | 'unknown',
  logged: [P, number][],
): RuleOutcome {
  for (const [i, rule] of rules.entries()) {
    const m = matches(policy, rule, i);
    if (m === false) continue;
    if (m === 'unknown') return { unknown: true, rule: i };
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
  const logged: [CalicoPolicy, number][] = [];
  const members = policies
    .filter((p) => p.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && applies(p))
    .map((policy) => ({ tier: policy.tier, order: policy.order, tieKey: tieKey(policy), policy }));
  const walk = walkTiers(tiers, members, (m) => firstDecidingRule(m.policy, m.policy[direction], matches, logged));
  if (walk.type === 'end')
    return {
      action: walk.action,
      tier: walk.tier,
      policy: walk.member.policy,
      rule: walk.rule,
      passedTiers: walk.passedTiers,
      logged,
    };
  return { action: 'Allow', tier: null, policy: null, rule: null, passedTiers: walk.passedTiers, logged };
}
