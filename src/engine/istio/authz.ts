/**
 * The AuthorizationPolicy steps: authz-custom (CUSTOM, ext_authz), authz-deny (DENY, with
 * AUDIT and dry-run reported but never deciding), authz-allow (ALLOW; none applying allows,
 * some applying and none matching denies). Rules are tried in Envoy's policy-map order
 * (lexicographic policy id), so the reported rule is the one Envoy logs.
 */
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Condition, ExpectedResponse, PolicyEffect, PolicyMention, RuleMiss, Step } from '../explanation.js';
import { formatRuleRef, istioRuleRef, NO_RULE, type IstioRuleRef } from '../../model/rule-ref.js';
import type { AuthzAttributes } from './attributes.js';
import { evaluateRule, failing, type RuleContext, type RuleEval, type Tri } from './rule-match.js';
import { rbacDenied } from './responses.js';

export interface RuleResult {
  readonly policy: AuthorizationPolicy;
  readonly index: number;
  readonly ref: IstioRuleRef;
  /** `ref` as text: Envoy orders a filter's policies by it */
  readonly ruleRef: string;
  readonly eval: RuleEval;
}

export interface AuthzOutcome {
  readonly step: Step;
  readonly response: ExpectedResponse | null;
  readonly conditions: readonly Condition[];
  readonly notes: readonly string[];
}

/** Per policy: each rule's ref and its text, made once (every flow to the policy's workloads asks). */
const refsMemo = new WeakMap<AuthorizationPolicy, { ref: IstioRuleRef; ruleRef: string }[]>();

function refOf(policy: AuthorizationPolicy, index: number): { ref: IstioRuleRef; ruleRef: string } {
  let refs = refsMemo.get(policy);
  if (!refs) refsMemo.set(policy, (refs = []));
  let r = refs[index];
  if (!r) {
    const extAuthz = policy.action === 'CUSTOM' ? { provider: null, badAction: false } : null;
    const ref = istioRuleRef(policy.namespace, policy.name, index, extAuthz);
    refs[index] = r = { ref, ruleRef: formatRuleRef(ref) };
  }
  return r;
}

/** One rule of a policy list in Envoy's order; `rule` is null for a policy without rules (`spec: {}`). */
interface PlannedRule {
  readonly policy: AuthorizationPolicy;
  readonly index: number;
  readonly ref: IstioRuleRef;
  readonly ruleRef: string;
  /** what the matcher reads of the policy, made once with the plan */
  readonly context: RuleContext;
}

/** A policy's rules in Envoy's policy-map order (lexicographic id; stable for equal ids). */
function plannedRules(policies: readonly AuthorizationPolicy[]): PlannedRule[] {
  const out: PlannedRule[] = [];
  for (const policy of policies) {
    const count = Math.max(policy.rules.length, 1);
    const context = { action: policy.action, policyNamespace: policy.namespace };
    for (let index = 0; index < count; index++) out.push({ policy, index, ...refOf(policy, index), context });
  }
  return out.sort((x, y) => (x.ruleRef < y.ruleRef ? -1 : x.ruleRef > y.ruleRef ? 1 : 0));
}

const NO_RULES: RuleEval = {
  result: 'miss',
  clauses: [{ field: 'rules', ok: false, expected: 'at least one rule', actual: 'none: the policy matches nothing' }],
  dropped: null,
};

function evaluatePlanned(planned: readonly PlannedRule[], a: AuthzAttributes): RuleResult[] {
  return planned.map((r) => {
    const rule = r.policy.rules[r.index];
    const result: RuleResult = {
      policy: r.policy,
      index: r.index,
      ref: r.ref,
      ruleRef: r.ruleRef,
      eval: rule === undefined ? NO_RULES : evaluateRule(rule, a, r.context),
    };
    return result;
  });
}

export function ruleResults(policies: readonly AuthorizationPolicy[], a: AuthzAttributes): RuleResult[] {
  return evaluatePlanned(plannedRules(policies), a);
}

/**
 * Per policy list (authzPoliciesFor shares one list among the pods a set of policies selects): the
 * ALLOW rules, and the DENY/AUDIT rules with the root namespace's first, in Envoy's order, made once.
 */
const plans = new WeakMap<
  readonly AuthorizationPolicy[],
  { allow?: readonly PlannedRule[]; deny?: Map<string, readonly PlannedRule[]> }
>();

function planOf(policies: readonly AuthorizationPolicy[]): {
  allow?: readonly PlannedRule[];
  deny?: Map<string, readonly PlannedRule[]>;
} {
  let plan = plans.get(policies);
  if (!plan) plans.set(policies, (plan = {}));
  return plan;
}

function allowRules(policies: readonly AuthorizationPolicy[]): readonly PlannedRule[] {
  const plan = planOf(policies);
  return (plan.allow ??= plannedRules(policies.filter((p) => p.action === 'ALLOW')));
}

function denyRules(policies: readonly AuthorizationPolicy[], rootNamespace: string): readonly PlannedRule[] {
  const plan = planOf(policies);
  const byRoot = (plan.deny ??= new Map());
  let rules = byRoot.get(rootNamespace);
  if (!rules) {
    const planned = plannedRules(policies.filter((p) => p.action === 'DENY' || p.action === 'AUDIT'));
    byRoot.set(rootNamespace, (rules = rootFirst(planned, rootNamespace)));
  }
  return rules;
}

export function mentionOf(r: RuleResult, effect: PolicyEffect, withRule = true): PolicyMention {
  return {
    kind: 'AuthorizationPolicy',
    namespace: r.policy.namespace,
    name: r.policy.name,
    rule: withRule ? r.index : null,
    ruleRef: r.ruleRef,
    effect,
  };
}

export const first = (rs: readonly RuleResult[], t: Tri): RuleResult | undefined => rs.find((r) => r.eval.result === t);

export function step(
  layer: Step['layer'],
  verdict: Step['verdict'],
  summary: string,
  policies: readonly PolicyMention[],
  extra: Record<string, unknown> = {},
): Step {
  return { layer, verdict, effective: true, summary, policies, ...extra };
}

export function unknownCondition(r: RuleResult): Condition {
  const what = r.eval.clauses
    .filter((c) => c.actual === 'unknown')
    .map((c) => c.field)
    .join(', ');
  return { code: 'partial-view', message: `${r.ruleRef}: ${what || 'a condition'} cannot be evaluated offline` };
}

function rootFirst<R extends { readonly policy: AuthorizationPolicy }>(
  results: readonly R[],
  rootNamespace: string,
): R[] {
  return [
    ...results.filter((r) => r.policy.namespace === rootNamespace),
    ...results.filter((r) => r.policy.namespace !== rootNamespace),
  ];
}

export function evaluateDeny(
  policies: readonly AuthorizationPolicy[],
  a: AuthzAttributes,
  rootNamespace: string,
): AuthzOutcome {
  const results = evaluatePlanned(denyRules(policies, rootNamespace), a);
  const side = results
    .filter((r) => r.eval.result === 'match' && (r.policy.action === 'AUDIT' || r.policy.dryRun))
    .map((r) => mentionOf(r, r.policy.action === 'AUDIT' ? 'audited' : 'shadow'));
  const enforced = results.filter((r) => r.policy.action === 'DENY' && !r.policy.dryRun);
  const none = { response: null, conditions: [], notes: [] };
  const matched = first(enforced, 'match');
  if (matched)
    return {
      ...none,
      step: step('authz-deny', 'denied', `DENY rule ${matched.ruleRef} matches`, [
        mentionOf(matched, 'denied'),
        ...side,
      ]),
      response: rbacDenied(matched.ref, a.http),
    };
  const unknown = first(enforced, 'unknown');
  if (unknown)
    return {
      ...none,
      step: step('authz-deny', 'conditional', `DENY rule ${unknown.ruleRef} may match`, [
        mentionOf(unknown, 'unknown'),
        ...side,
      ]),
      conditions: [unknownCondition(unknown)],
    };
  const count = new Set(enforced.map((r) => r.policy)).size;
  const shadow =
    side.length > 0 ? `; not enforced: ${side.map((m) => `${m.ruleRef} (${m.effect ?? ''})`).join(', ')}` : '';
  return {
    ...none,
    step: step(
      'authz-deny',
      'allowed',
      count === 0
        ? `no DENY policy applies${shadow}`
        : `${count} DENY ${count === 1 ? 'policy applies' : 'policies apply'}, no rule matches${shadow}`,
      side,
    ),
  };
}

export interface AllowOutcome extends AuthzOutcome {
  readonly nearestMiss: RuleMiss[];
}

/** A policy with no rules (`spec: {}`) can never be made to match: it is the farthest miss. */
function matchesNothing(r: RuleResult): number {
  return r.policy.rules.length === 0 ? 1 : 0;
}

function nearest(results: readonly RuleResult[]): RuleMiss[] {
  return [...results]
    .sort(
      (x, y) =>
        matchesNothing(x) - matchesNothing(y) ||
        failing(x.eval.clauses) - failing(y.eval.clauses) ||
        (x.ruleRef < y.ruleRef ? -1 : 1),
    )
    .map((r) => ({ policy: mentionOf(r, 'no-match'), clauses: r.eval.clauses }));
}

export function evaluateAllow(policies: readonly AuthorizationPolicy[], a: AuthzAttributes): AllowOutcome {
  const results = evaluatePlanned(allowRules(policies), a);
  const shadowResults = results.filter((r) => r.policy.dryRun);
  const shadow = shadowResults.filter((r) => r.eval.result === 'match').map((r) => mentionOf(r, 'shadow'));
  const enforced = results.filter((r) => !r.policy.dryRun);
  const base = { response: null, conditions: [] as Condition[], notes: [] as string[], nearestMiss: [] as RuleMiss[] };
  if (enforced.length === 0) {
    const dry =
      shadowResults.length > 0
        ? ` (dry-run ALLOW policies would ${shadow.length > 0 ? 'allow' : 'deny'}: shadow only)`
        : '';
    return {
      ...base,
      step: step('authz-allow', 'allowed', `no ALLOW policy applies: allowed by default${dry}`, shadow),
    };
  }
  const matched = first(enforced, 'match');
  if (matched)
    return {
      ...base,
      step: step('authz-allow', 'allowed', `ALLOW rule ${matched.ruleRef} matches`, [
        mentionOf(matched, 'allowed'),
        ...shadow,
      ]),
    };
  const unknown = first(enforced, 'unknown');
  if (unknown)
    return {
      ...base,
      step: step('authz-allow', 'conditional', `ALLOW rule ${unknown.ruleRef} may match`, [
        mentionOf(unknown, 'unknown'),
        ...shadow,
      ]),
      conditions: [unknownCondition(unknown)],
    };
  const names = [...new Set(enforced.map((r) => r.policy))];
  // Envoy logs `matched policy none`: no rule id decides a denial by default
  const mentions = names.map((p): PolicyMention => ({
    kind: 'AuthorizationPolicy',
    namespace: p.namespace,
    name: p.name,
    rule: null,
    ruleRef: formatRuleRef(NO_RULE),
    effect: 'no-match',
  }));
  const misses = nearest(enforced);
  const dropped = enforced.filter((r) => r.eval.dropped !== null).map((r) => `${r.ruleRef}: ${r.eval.dropped ?? ''}`);
  return {
    ...base,
    notes: dropped,
    nearestMiss: misses,
    // shadow (dry-run) matches stay out of `policies` here: a denial by default names no rule
    step: step(
      'authz-allow',
      'denied',
      `${names.length} ALLOW ${names.length === 1 ? 'policy applies' : 'policies apply'} and no rule matches: denied (matched policy none)${shadow.length > 0 ? `; dry-run ALLOW ${shadow.map((m) => m.ruleRef).join(', ')} would allow (shadow only)` : ''}`,
      mentions,
      { misses },
    ),
    response: rbacDenied(NO_RULE, a.http),
  };
}
