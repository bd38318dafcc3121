/**
 * Peer principals as istiod renders them (istio/istio:pilot/pkg/security/trustdomain/bundle.go,
 * ReplaceTrustDomainAliases; util.go stringMatch/suffixMatch): a principal of the form
 * `<td>/ns/<ns>/sa/<sa>` whose `<td>` is not `*` and is `cluster.local` or matches the trust
 * domain or an alias (either side may carry a leading or trailing `*`) is expanded to one
 * principal per trust domain of the bundle: kept as written for a domain its wildcard already
 * matches, otherwise with `<td>` replaced. Any other principal is matched as written. So with
 * alias `foobar`, `*bar/ns/foo/sa/x` also matches `td1/ns/foo/sa/x` (builder testdata
 * simple-policy-principal-with-wildcard), and `cluster.local/ns/foo/*` (four parts) is not expanded.
 */
import type { AuthzAttributes } from './attributes.js';
import { istioStringMatch } from './string-match.js';

const prefixMatch = (a: string, pattern: string): boolean =>
  pattern.endsWith('*') && a.startsWith(pattern.slice(0, -1));
const suffixMatch = (a: string, pattern: string): boolean => pattern.startsWith('*') && a.endsWith(pattern.slice(1));

function bundleMatches(td: string, bundle: readonly string[]): boolean {
  return bundle.some(
    (s) =>
      td === s || s === '*' || prefixMatch(td, s) || prefixMatch(s, td) || suffixMatch(td, s) || suffixMatch(s, td),
  );
}

function withTrustDomainAliases(pattern: string, bundle: readonly string[]): readonly string[] {
  const parts = pattern.split('/');
  const td = parts[0] ?? '';
  if (parts.length !== 5 || td === '*') return [pattern];
  if (td !== 'cluster.local' && !bundleMatches(td, bundle)) return [pattern];
  return [...new Set(bundle.map((b) => (suffixMatch(b, td) ? pattern : [b, ...parts.slice(1)].join('/'))))];
}

/** Per trust domain (a bundle without aliases, the usual mesh): each pattern's expansion, made once; bounded. */
const expansions = new Map<string, Map<string, readonly string[]>>();
const MAX_PATTERNS = 4096;

function expanded(pattern: string, bundle: readonly string[]): readonly string[] {
  const td = bundle[0];
  if (bundle.length !== 1 || td === undefined) return withTrustDomainAliases(pattern, bundle);
  let byPattern = expansions.get(td);
  if (!byPattern) {
    if (expansions.size >= 16) expansions.clear();
    expansions.set(td, (byPattern = new Map()));
  }
  let out = byPattern.get(pattern);
  if (!out) {
    if (byPattern.size >= MAX_PATTERNS) byPattern.clear();
    byPattern.set(pattern, (out = withTrustDomainAliases(pattern, bundle)));
  }
  return out;
}

export function principalTest(pattern: string, actual: string, a: AuthzAttributes): boolean {
  return expanded(pattern, a.trustDomains).some((p) => istioStringMatch(p, actual));
}
