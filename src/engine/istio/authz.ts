/**
 * The AuthorizationPolicy steps: authz-custom (CUSTOM, ext_authz), authz-deny (DENY, with
 * AUDIT and dry-run reported but never deciding), authz-allow (ALLOW; none applying allows,
 * some applying and none matching denies). Rules are tried in Envoy's policy-map order
 * (lexicographic policy id), so the reported rule is the one Envoy logs.
 */
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Condition, ExpectedResponse, PolicyMention, RuleMiss, Step } from '../explanation.js';
import { formatRuleRef, istioRuleRef, NO_RULE, type IstioRuleRef } from '../../model/rule-ref.js';
import type { AuthzAttributes } from './attributes.js';
import { evaluateRule, failing, type RuleEval, type Tri } from './rule-match.js';
import { extAuthzDenied, rbacDenied } from './responses.js';

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

function refOf(policy: AuthorizationPolicy, index: number): { ref: IstioRuleRef; ruleRef: string } {
  const extAuthz = policy.action === 'CUSTOM' ? { provider: null, badAction: false } : null;
  const ref = istioRuleRef(policy.namespace, policy.name, index, extAuthz);
  return { ref, ruleRef: formatRuleRef(ref) };
}

export function ruleResults(policies: readonly AuthorizationPolicy[], a: AuthzAttributes): RuleResult[] {
  const out: RuleResult[] = [];
  for (const policy of policies) {
    if (policy.rules.length === 0) {
      out.push({
        policy,
        index: 0,
        ...refOf(policy, 0),
        eval: {
          result: 'miss',
          clauses: [
            { field: 'rules', ok: false, expected: 'at least one rule', actual: 'none: the policy matches nothing' },
          ],
          dropped: null,
        },
      });
      continue;
    }
    policy.rules.forEach((rule, index) => {
      out.push({
        policy,
        index,
        ...refOf(policy, index),
        eval: evaluateRule(rule, a, { action: policy.action, policyNamespace: policy.namespace }),
      });
    });
  }
  return out.sort((x, y) => (x.ruleRef < y.ruleRef ? -1 : x.ruleRef > y.ruleRef ? 1 : 0));
}

export function mentionOf(r: RuleResult, effect: string, withRule = true): PolicyMention {
  return {
    kind: 'AuthorizationPolicy',
    namespace: r.policy.namespace,
    name: r.policy.name,
    rule: withRule ? r.index : null,
    ruleRef: r.ruleRef,
    effect,
  };
}

const first = (rs: readonly RuleResult[], t: Tri): RuleResult | undefined => rs.find((r) => r.eval.result === t);

function step(
  layer: Step['layer'],
  verdict: Step['verdict'],
  summary: string,
  policies: readonly PolicyMention[],
  extra: Record<string, unknown> = {},
): Step {
  return { layer, verdict, effective: true, summary, policies, ...extra };
}

function unknownCondition(r: RuleResult): Condition {
  const what = r.eval.clauses
    .filter((c) => c.actual === 'unknown')
    .map((c) => c.field)
    .join(', ');
  return { code: 'partial-view', message: `${r.ruleRef}: ${what || 'a condition'} cannot be evaluated offline` };
}

/**
 * CUSTOM (istio/istio:pilot/pkg/security/authz/builder/builder.go): an HTTP ext_authz provider is skipped on TCP chains; an unknown
 * provider, or several providers on one workload (without PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS),
 * turns the matching rules into an enforced DENY (`-deny-due-to-bad-CUSTOM-action`).
 */
export function evaluateCustom(
  policies: readonly AuthorizationPolicy[],
  a: AuthzAttributes,
  providerTypes: ReadonlyMap<string, string>,
  extAuthz: 'allow' | 'deny' | null,
): AuthzOutcome {
  const none = { response: null, conditions: [], notes: [] };
  const all = policies.filter((p) => p.action === 'CUSTOM');
  const custom = a.http ? all : all.filter((p) => providerTypes.get(p.provider ?? '') !== 'envoyExtAuthzHttp');
  if (custom.length === 0) {
    return {
      ...none,
      step: step(
        'authz-custom',
        'allowed',
        all.length > 0
          ? 'the CUSTOM policies use an HTTP ext_authz provider, which istiod skips on TCP ports'
          : 'no CUSTOM policy applies',
        [],
      ),
    };
  }
  const results = ruleResults(custom, a);
  const several = new Set(custom.map((p) => p.provider ?? '')).size > 1;
  const bad = results.find(
    (r) => r.eval.result === 'match' && (several || !providerTypes.has(r.policy.provider ?? '')),
  );
  if (bad) {
    // istiod names the DENY it enforces instead after the provider (istio/istio:pilot/pkg/security/authz/builder/builder.go, getBadCustomDenyRules)
    const id = { ...bad.ref, extAuthz: { provider: bad.policy.provider ?? '', badAction: true } };
    const why = several
      ? 'several CUSTOM providers apply to this workload'
      : `provider "${bad.policy.provider ?? ''}" is not in meshConfig.extensionProviders`;
    return {
      ...none,
      step: step('authz-custom', 'denied', `${bad.ruleRef} matched but ${why}: istiod enforces it as a DENY`, [
        mentionOf(bad, 'denied'),
      ]),
      response: rbacDenied(id, a.http),
    };
  }
  const matched = first(results, 'match');
  if (matched) {
    const provider = matched.policy.provider ?? '';
    const dry = matched.policy.dryRun ? ' (dry-run does not stop a CUSTOM policy from calling ext_authz)' : '';
    if (extAuthz === 'allow')
      return {
        ...none,
        step: step(
          'authz-custom',
          'allowed',
          `${matched.ruleRef} matched: ext_authz provider "${provider}" called and allows (--ext-authz allow)${dry}`,
          [mentionOf(matched, 'allowed')],
        ),
      };
    if (extAuthz === 'deny')
      return {
        ...none,
        step: step(
          'authz-custom',
          'denied',
          `${matched.ruleRef} matched: ext_authz provider "${provider}" denies (--ext-authz deny)${dry}`,
          [mentionOf(matched, 'denied')],
        ),
        response: extAuthzDenied(a.http),
      };
    return {
      ...none,
      step: step(
        'authz-custom',
        'conditional',
        `${matched.ruleRef} matched: the answer depends on ext_authz provider "${provider}" (give --ext-authz allow|deny)`,
        [mentionOf(matched, 'ext-authz')],
      ),
      conditions: [
        {
          code: 'ext-authz-unknown',
          message: `${matched.ruleRef} sends the request to ext_authz provider "${provider}", whose answer meshdbg cannot know`,
        },
      ],
    };
  }
  const unknown = first(results, 'unknown');
  if (unknown)
    return {
      ...none,
      step: step('authz-custom', 'conditional', `${unknown.ruleRef} may match`, [mentionOf(unknown, 'unknown')]),
      conditions: [unknownCondition(unknown)],
    };
  return {
    ...none,
    step: step(
      'authz-custom',
      'allowed',
      `${custom.length} CUSTOM ${custom.length === 1 ? 'policy applies' : 'policies apply'}, no rule matches: ext_authz is not called`,
      [],
    ),
  };
}

/** Root-namespace DENY policies get their own filter, before the workload's (istio/istio:pilot/pkg/security/authz/builder/builder.go, rootDenyPolicies). */
function rootFirst(results: RuleResult[], rootNamespace: string): RuleResult[] {
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
  const results = rootFirst(
    ruleResults(
      policies.filter((p) => p.action === 'DENY' || p.action === 'AUDIT'),
      a,
    ),
    rootNamespace,
  );
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
  const all = policies.filter((p) => p.action === 'ALLOW');
  const results = ruleResults(all, a);
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
  const mentions = names.map((p) => ({
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
