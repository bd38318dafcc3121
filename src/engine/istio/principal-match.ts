/**
 * Peer principals as istiod renders them (istio/istio:pilot/pkg/security/trustdomain/bundle.go,
 * ReplaceTrustDomainAliases):
 * a principal written with `cluster.local`, the trust domain or one of its aliases matches
 * the principal of every one of them.
 */
import { splitPrincipal, type AuthzAttributes } from './attributes.js';
import { istioStringMatch } from './string-match.js';

export function principalTest(pattern: string, actual: string, a: AuthzAttributes): boolean {
  if (pattern.startsWith('*')) return istioStringMatch(pattern, actual);
  const slash = pattern.indexOf('/');
  const td = slash < 0 ? pattern : pattern.slice(0, slash);
  const local = td === 'cluster.local' || a.trustDomains.includes(td);
  const actualTd = splitPrincipal(actual)?.trustDomain ?? null;
  if (local && slash >= 0 && actualTd !== null && a.trustDomains.includes(actualTd)) {
    return istioStringMatch(`${actualTd}${pattern.slice(slash)}`, actual);
  }
  return istioStringMatch(pattern, actual);
}
