/**
 * istio/istio's matcher tables (pilot/pkg/security/authz/matcher/header_test.go TestHeaderMatcher,
 * TestHostMatcher, TestPathMatcher; commit ISTIO_COMMIT; Apache-2.0) as match vectors. Each owner
 * case names the Envoy matcher istiod generates for one value; the rows below ask our matcher the
 * values that Envoy matcher accepts and refuses (exact / prefix / suffix string_match; ignore_case
 * for hosts; `*` is present_match for headers and hosts, which a present empty value satisfies,
 * and the regex `.+` for paths, which it does not).
 */
import { describe, expect, it } from 'vitest';
import { istioHostMatch, istioPathMatch } from '../../../src/engine/istio/string-match.js';
import { evalWhen, whenKey } from '../../../src/engine/istio/when-keys.js';
import type { AuthzAttributes } from '../../../src/engine/istio/attributes.js';
import { ISTIO_COMMIT } from './echo-world.js';

const base: AuthzAttributes = {
  http: true,
  principal: null,
  sourceIp: '10.0.0.5',
  remoteIp: '10.0.0.5',
  requestPrincipal: null,
  claims: null,
  method: 'GET',
  path: '/',
  host: 'example.com',
  headers: {},
  port: 8080,
  destinationIp: '10.0.0.9',
  sni: null,
  trustDomains: ['cluster.local'],
};

/** HeaderMatcher(k, v) as a `when: request.headers[k]` condition with `values: [v]`. */
function headerMatches(name: string, pattern: string, value: string | null): boolean {
  const key = whenKey(`request.headers[${name}]`);
  if (!key) throw new Error('no key');
  const headers = value === null ? {} : { [name]: value };
  return evalWhen(key, { ...base, headers }, [pattern], null) === 'match';
}

describe(`matcher/header_test.go (istio/istio@${ISTIO_COMMIT.slice(0, 12)})`, () => {
  // TestHeaderMatcher: exact "/productpage"; "*/productpage*" is a suffix match on "/productpage*"
  // (the leading * wins, the trailing one is literal); "/productpage*" a prefix match; "*" present
  it.each([
    ['exact match', '/productpage', '/productpage', true],
    ['exact match', '/productpage', '/productpage/x', false],
    ['exact match', '/productpage', '/ProductPage', false],
    ['suffix match', '*/productpage*', 'x/productpage*', true],
    ['suffix match', '*/productpage*', '/productpage', false],
    ['suffix match', '*/productpage*', '/productpage/x', false],
    ['prefix match', '/productpage*', '/productpage/x', true],
    ['prefix match', '/productpage*', '/x/productpage', false],
    ['* match', '*', 'anything', true],
    ['* match', '*', '', true],
    ['* match', '*', null, false],
  ])('TestHeaderMatcher %s: %s against %j -> %s', (_case, pattern, value, want) => {
    expect(headerMatches('x-test', pattern, value)).toBe(want);
  });

  // TestHostMatcher: the same shapes, ignore_case; "*" present
  it.each([
    ['present match', '*', 'example.com', true],
    ['present match', '*', '', true],
    ['present match', '*', null, false],
    ['suffix match', '*.example.com', 'API.Example.COM', true],
    ['suffix match', '*.example.com', 'example.com', false],
    ['prefix match', 'example.*', 'EXAMPLE.org', true],
    ['prefix match', 'example.*', 'www.example.org', false],
    ['exact match', 'example.com', 'Example.Com', true],
    ['exact match', 'example.com', 'example.com.evil', false],
  ])('TestHostMatcher %s: %s against %j -> %s', (_case, pattern, host, want) => {
    expect(istioHostMatch(pattern, host)).toBe(want);
  });

  // TestPathMatcher: exact, prefix, suffix (case-sensitive); "*" is the regex .+ (a non-empty path)
  it.each([
    ['exact match', '/productpage', '/productpage', true],
    ['exact match', '/productpage', '/productpage2', false],
    ['prefix match', '/prefix*', '/prefix/a', true],
    ['prefix match', '/prefix*', '/Prefix/a', false],
    ['suffix match', '*suffix', '/a/suffix', true],
    ['suffix match', '*suffix', '/a/suffix/', false],
    ['wildcard match', '*', '/', true],
    ['wildcard match', '*', '', false],
  ])('TestPathMatcher %s: %s against %j -> %s', (_case, pattern, path, want) => {
    expect(istioPathMatch(pattern, path)).toBe(want);
  });
});
