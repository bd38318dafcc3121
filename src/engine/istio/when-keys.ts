/**
 * AuthorizationPolicy `when` keys (https://istio.io/latest/docs/reference/config/security/conditions/;
 * istio/istio:pilot/pkg/security/authz/model/model.go). Unknown keys make istiod skip the whole rule ("skipped invalid rule").
 */
import type { AuthzAttributes } from './attributes.js';
import { splitPrincipal } from './attributes.js';
import { ipInCidr } from '../../util/cidr.js';
import { principalTest } from './principal-match.js';
import { istioNamespaceMatch, istioRequestPrincipalMatch, istioStringMatch } from './string-match.js';
import { boundedMemo } from '../../util/bounded-memo.js';

export type Tri = 'match' | 'miss' | 'unknown';

export interface WhenKey {
  readonly http: boolean;
  /** the attribute's value(s); null when absent; 'unknown' when meshdbg cannot know it */
  readonly actual: (a: AuthzAttributes) => readonly string[] | null | 'unknown';
  readonly compare: 'string' | 'cidr' | 'exact' | 'namespace' | 'request-principal' | 'header' | 'principal';
}

const single = (v: string | null): readonly string[] | null => (v === null ? null : [v]);

function claimValues(
  claims: Readonly<Record<string, unknown>> | null,
  path: readonly string[],
): readonly string[] | null {
  let cur: unknown = claims;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, p)) return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  // space-delimited claims arrive here already split (jwt-payload.ts, as Envoy puts them in metadata)
  if (typeof cur === 'string') return [cur];
  if (typeof cur === 'number' || typeof cur === 'boolean') return [String(cur)];
  if (Array.isArray(cur)) return cur.filter((x) => typeof x === 'string');
  return null;
}

const FIXED: Readonly<Record<string, WhenKey>> = {
  'source.ip': { http: false, actual: (a) => single(a.sourceIp) ?? 'unknown', compare: 'cidr' },
  'remote.ip': { http: false, actual: (a) => single(a.remoteIp) ?? 'unknown', compare: 'cidr' },
  'destination.ip': { http: false, actual: (a) => single(a.destinationIp) ?? 'unknown', compare: 'cidr' },
  'destination.port': { http: false, actual: (a) => [String(a.port)], compare: 'exact' },
  'connection.sni': { http: false, actual: (a) => single(a.sni), compare: 'string' },
  'source.namespace': {
    http: false,
    actual: (a) => single(splitPrincipal(a.principal)?.namespace ?? null),
    compare: 'namespace',
  },
  'source.principal': { http: false, actual: (a) => single(a.principal), compare: 'principal' },
  'source.serviceAccount': {
    http: false,
    actual: (a) => {
      const p = splitPrincipal(a.principal);
      return p ? [`${p.namespace}/${p.serviceAccount}`] : null;
    },
    compare: 'exact',
  },
  'source.trustDomain': {
    http: false,
    actual: (a) => single(splitPrincipal(a.principal)?.trustDomain ?? null),
    compare: 'string',
  },
  'request.auth.principal': { http: true, actual: (a) => single(a.requestPrincipal), compare: 'request-principal' },
  'request.auth.audiences': { http: true, actual: (a) => claimValues(a.claims, ['aud']), compare: 'string' },
  'request.auth.presenter': { http: true, actual: (a) => claimValues(a.claims, ['azp']), compare: 'string' },
};

/** The last keys read (every flow reads each condition's key twice); pure, so shared; bounded. */
const whenKeys = boundedMemo(1024, (key) => readWhenKey(key));

/** null: a key Istio does not know. */
export function whenKey(key: string): WhenKey | null {
  return whenKeys(key);
}

function readWhenKey(key: string): WhenKey | null {
  // own keys only: `constructor` or `toString` are no Istio attributes (an inherited member is no key)
  if (Object.hasOwn(FIXED, key)) return FIXED[key] ?? null;
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) {
    const name = (header[1] ?? '').toLowerCase();
    return {
      http: true,
      actual: (a) => single(Object.hasOwn(a.headers, name) ? (a.headers[name] ?? null) : null),
      compare: 'header',
    };
  }
  const claims = /^request\.auth\.claims((?:\[[^\]]+\])+)$/.exec(key);
  if (claims) {
    const path = [...(claims[1] ?? '').matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] ?? '');
    return { http: true, actual: (a) => claimValues(a.claims, path), compare: 'string' };
  }
  if (key.startsWith('experimental.envoy.filters.')) return { http: false, actual: () => 'unknown', compare: 'string' };
  return null;
}

function one(compare: WhenKey['compare'], pattern: string, value: string, a: AuthzAttributes): boolean {
  if (compare === 'cidr') return ipInCidr(value.trim(), pattern.trim());
  if (compare === 'exact') return pattern === value;
  if (compare === 'namespace') return istioNamespaceMatch(pattern, a.principal);
  if (compare === 'principal') return principalTest(pattern, value, a);
  // `*` on a header is Envoy's present_match: a header sent with an empty value is present
  if (compare === 'header' && pattern === '*') return true;
  if (compare === 'request-principal') {
    const iss = a.claims?.['iss'];
    const sub = a.claims?.['sub'];
    return istioRequestPrincipalMatch(
      pattern,
      typeof iss === 'string' ? iss : null,
      typeof sub === 'string' ? sub : null,
    );
  }
  return istioStringMatch(pattern, value);
}

/** values: any value matches any actual; notValues: none does. Absent attribute: values miss, notValues match. */
export function evalWhen(
  k: WhenKey,
  a: AuthzAttributes,
  values: readonly string[] | null,
  notValues: readonly string[] | null,
): Tri {
  const actual = k.actual(a);
  if (actual === 'unknown') return 'unknown';
  const any = (list: readonly string[]): boolean =>
    actual !== null && list.some((p) => actual.some((v) => one(k.compare, p, v, a)));
  if (values !== null && !any(values)) return 'miss';
  if (notValues !== null && any(notValues)) return 'miss';
  return 'match';
}
