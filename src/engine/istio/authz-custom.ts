/**
 * The authz-custom step (CUSTOM policies, ext_authz; istio/istio:pilot/pkg/security/authz/builder/builder.go
 * at 86c9f01fd73). A valid HTTP ext_authz provider is skipped on TCP chains ("ignored CUSTOM action with
 * HTTP provider on TCP filter chain"). A provider istiod cannot use (missing, or invalid:
 * model/convert/extension-providers.ts), or several providers on one workload without
 * PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS (default false, pilot/pkg/features/security.go), turns the
 * enforced (not dry-run) CUSTOM rules into an enforced DENY named `...-deny-due-to-bad-CUSTOM-action`
 * (getBadCustomDenyRules), on HTTP and TCP chains alike (buildTCP checks getExtAuthz first).
 */
import type { AuthorizationPolicy, ExtensionProvider } from '../../model/istio.js';
import { customProviderError } from '../../model/convert/extension-providers.js';
import type { AuthzAttributes } from './attributes.js';
import { first, mentionOf, ruleResults, step, unknownCondition, type AuthzOutcome, type RuleResult } from './authz.js';
import { extAuthzDenied, rbacDenied } from './responses.js';

const none = { response: null, conditions: [], notes: [] };

/** Why istiod replaces this workload's CUSTOM policy with a DENY, or null. */
function badReason(
  p: AuthorizationPolicy,
  all: readonly AuthorizationPolicy[],
  providers: readonly ExtensionProvider[],
): string | null {
  const names = [...new Set(all.map((c) => c.provider ?? ''))].sort();
  if (names.length > 1)
    return `several CUSTOM providers apply to this workload (${names.join(', ')}) and PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS is off by default`;
  return customProviderError(providers, p.provider);
}

function usableHttpProvider(p: AuthorizationPolicy, providers: readonly ExtensionProvider[]): boolean {
  const found = [...providers].reverse().find((e) => e.name === p.provider);
  return found?.type === 'envoyExtAuthzHttp' && customProviderError(providers, p.provider) === null;
}

function badCustomDeny(bad: RuleResult, why: string, a: AuthzAttributes): AuthzOutcome {
  const id = { ...bad.ref, extAuthz: { provider: bad.policy.provider ?? '', badAction: true } };
  return {
    ...none,
    step: step('authz-custom', 'denied', `${bad.ruleRef} matched but ${why}: istiod enforces it as a DENY`, [
      mentionOf(bad, 'denied'),
    ]),
    response: rbacDenied(id, a.http),
  };
}

function calledExtAuthz(matched: RuleResult, a: AuthzAttributes, extAuthz: 'allow' | 'deny' | null): AuthzOutcome {
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

export function evaluateCustom(
  policies: readonly AuthorizationPolicy[],
  a: AuthzAttributes,
  providers: readonly ExtensionProvider[],
  extAuthz: 'allow' | 'deny' | null,
): AuthzOutcome {
  const all = policies.filter((p) => p.action === 'CUSTOM');
  const custom = a.http
    ? all
    : all.filter((p) => badReason(p, all, providers) !== null || !usableHttpProvider(p, providers));
  if (custom.length === 0) {
    const summary =
      all.length > 0
        ? 'the CUSTOM policies use an HTTP ext_authz provider, which istiod skips on TCP ports'
        : 'no CUSTOM policy applies';
    return { ...none, step: step('authz-custom', 'allowed', summary, []) };
  }
  const results = ruleResults(custom, a);
  // dry-run CUSTOM rules are left out of the stand-in DENY (getBadCustomDenyRules takes the enforced ones)
  for (const r of results) {
    if (r.eval.result !== 'match' || r.policy.dryRun) continue;
    const why = badReason(r.policy, all, providers);
    if (why !== null) return badCustomDeny(r, why, a);
  }
  const matched = first(results, 'match');
  if (matched) {
    const why = badReason(matched.policy, all, providers);
    if (why !== null)
      return {
        ...none,
        step: step(
          'authz-custom',
          'allowed',
          `${matched.ruleRef} matched, but it is dry-run and ${why}: istiod drops it`,
          [],
        ),
      };
    return calledExtAuthz(matched, a, extAuthz);
  }
  const unknown = first(results, 'unknown');
  if (unknown)
    return {
      ...none,
      step: step('authz-custom', 'conditional', `${unknown.ruleRef} may match`, [mentionOf(unknown, 'unknown')]),
      conditions: [unknownCondition(unknown)],
    };
  const n = custom.length;
  return {
    ...none,
    step: step(
      'authz-custom',
      'allowed',
      `${n} CUSTOM ${n === 1 ? 'policy applies' : 'policies apply'}, no rule matches: ext_authz is not called`,
      [],
    ),
  };
}
