/**
 * What `istioctl x authz check <pod>` would print, computed offline (istio/istio:istioctl/pkg/authz):
 * rows grouped DENY, ALLOW, LOG (AUDIT), CUSTOM, names `<name>.<namespace>` sorted, RULES the
 * distinct rule indexes over the HTTP and TCP chains, and `_anonymous_match_nothing_` when the
 * TCP chain's ALLOW filter is left without policies (every ALLOW rule HTTP-only).
 * Dry-run ALLOW/DENY policies live in shadow rules, which the table does not list.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, AuthzRule } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { customProviderError } from '../../model/convert/extension-providers.js';
import { authzPoliciesFor } from './policy-index.js';
import { httpOnlyFields } from './rule-match.js';
import { whenKey } from './when-keys.js';

export type AuthzCheckAction = 'DENY' | 'ALLOW' | 'LOG' | 'CUSTOM';

/** A row of the table predicted from the Snapshot; `name` is istioctl's `name.namespace`. */
export interface PredictedAuthzRow {
  readonly action: AuthzCheckAction;
  readonly name: string;
  readonly rules: number;
}

/** istioctl's row order (Istio >= 1.25); the live table parser uses the same */
export const AUTHZ_ACTION_ORDER: readonly AuthzCheckAction[] = ['DENY', 'ALLOW', 'LOG', 'CUSTOM'];
export const ANONYMOUS_MATCH_NOTHING = '_anonymous_match_nothing_';

/**
 * A CUSTOM policy istiod cannot hand to ext_authz is enforced as DENY rules named
 * `istio-ext-authz-...-deny-due-to-bad-CUSTOM-action`, which istioctl lists under DENY (its name regex
 * is unanchored: istioctl/pkg/authz/listener.go); dry-run ones are dropped (builder.go getBadCustomDenyRules).
 */
function tableAction(p: AuthorizationPolicy, badCustom: boolean): AuthzCheckAction | null {
  if (p.action === 'CUSTOM') return badCustom ? (p.dryRun ? null : 'DENY') : 'CUSTOM';
  if (p.action === 'AUDIT') return 'LOG';
  return p.dryRun ? null : p.action;
}

const valid = (r: AuthzRule): boolean =>
  r.skipped === undefined && !(r.when ?? []).some((w) => whenKey(w.key) === null);

/** Rules that survive istiod's translation; a policy without rules yields its match-nothing rule[0]. */
function ruleCount(p: AuthorizationPolicy): number {
  return p.rules.length === 0 ? 1 : p.rules.filter(valid).length;
}

function survivesOnTcp(p: AuthorizationPolicy): boolean {
  return p.rules.length === 0 || p.rules.some((r) => valid(r) && httpOnlyFields(r).length === 0);
}

export function authzCheckRows(
  snapshot: Snapshot,
  pod: Pod,
): { action: AuthzCheckAction; name: string; rules: number }[] {
  const rows: PredictedAuthzRow[] = [];
  const allow: AuthorizationPolicy[] = [];
  const policies = authzPoliciesFor(snapshot, pod);
  const custom = policies.filter((p) => p.action === 'CUSTOM');
  const providers = snapshot.istio.mesh.extensionProviders;
  const several = new Set(custom.map((p) => p.provider ?? '')).size > 1;
  for (const p of policies) {
    const action = tableAction(
      p,
      several || (p.action === 'CUSTOM' && customProviderError(providers, p.provider) !== null),
    );
    if (action === null) continue;
    if (action === 'ALLOW') allow.push(p);
    const rules = ruleCount(p);
    if (rules > 0) rows.push({ action, name: `${p.name}.${p.namespace}`, rules });
  }
  if (allow.length > 0 && !allow.some(survivesOnTcp))
    rows.push({ action: 'ALLOW', name: ANONYMOUS_MATCH_NOTHING, rules: 1 });
  return rows.sort(
    (a, b) =>
      AUTHZ_ACTION_ORDER.indexOf(a.action) - AUTHZ_ACTION_ORDER.indexOf(b.action) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
