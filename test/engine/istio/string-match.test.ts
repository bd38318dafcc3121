import { describe, expect, it } from 'vitest';
import {
  istioHostMatch,
  istioNamespaceMatch,
  istioPathMatch,
  istioRequestPrincipalMatch,
  istioStringMatch,
} from '../../../src/engine/istio/string-match.js';
import { ipInCidr } from '../../../src/util/cidr.js';

describe('Istio string matching (istio/api Rule comment; istio/istio matcher/string.go)', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abc*', 'abcd', true],
    ['abc*', 'xabc', false],
    ['*abc', 'xabc', true],
    ['*abc', 'abcx', false],
    ['*', 'x', true],
    // presence: "will match when value is not empty" (Istio emits regex .+)
    ['*', '', false],
    // only a leading or trailing * is special
    ['a*c', 'abc', false],
    ['a*c', 'a*c', true],
  ])('%s against %s -> %s', (pattern, value, want) => {
    expect(istioStringMatch(pattern, value)).toBe(want);
  });

  it('never matches an absent value, even with the presence pattern', () => {
    expect(istioStringMatch('*', null)).toBe(false);
  });

  it.each([
    ['/foo/{*}', '/foo/bar', true],
    // {*} is exactly one segment (istio/api: /foo/{*} matches /foo/bar, not /foo/bar/baz)
    ['/foo/{*}', '/foo/bar/baz', false],
    ['/foo/{**}', '/foo/bar/baz', true],
    ['/foo/{*}/baz', '/foo/x/baz', true],
    ['/foo/{*}/baz', '/foo/x/qux', false],
    // {**} is Envoy's text glob [pchar/]* between the template's own slashes (envoyproxy/envoy
    // source/extensions/path/uri_template_lib/uri_template_internal.cc toRegexPattern): it may be
    // empty, but the slashes stay (istio/istio tests/integration/security/authz_test.go
    // TestAuthz_PathTemplating: /store/cart denied, /store//cart allowed)
    ['/store/{**}/cart', '/store/cart', false],
    ['/store/{**}/cart', '/store//cart', true],
    ['/foo/{**}', '/foo', false],
    ['/foo/{*}/bar', '/foo//bar', false],
    ['/store/{**}/cart', '/store/a/cart', true],
    ['/store/{**}/cart', '/store/a/b/c/cart', true],
    ['/store/{**}/cart', '/store/a/b/checkout', false],
    ['/store/{**}/cart', '/shop/a/cart', false],
    ['/{*}/{**}/cart', '/x/y/z/cart', true],
    ['/{*}/{**}/cart', '/cart', false],
    ['/foo/{**}', '/foo/', true],
    ['/api/orders', '/api/orders?x=1', true],
    ['/api/*', '/api/orders', true],
  ])('path %s against %s -> %s', (pattern, path, want) => {
    expect(istioPathMatch(pattern, path)).toBe(want);
  });

  // istio/istio:pilot/pkg/security/authz/matcher/header.go HostMatcher (ignore_case exact/prefix/suffix on
  // :authority, `*` presence); the patterns are the builder golden testdata/http/allow-host-before-111-in.yaml's
  it.each([
    ['example.com', 'example.com', true],
    ['Example.COM', 'example.com', true],
    ['example.com', 'EXAMPLE.com', true],
    ['example.com', 'example.com:8080', false],
    ['example.com:*', 'example.com:8080', true],
    ['example.com:*', 'example.com', false],
    ['prefix.example.*', 'PREFIX.example.org:443', true],
    ['prefix.example.*', 'other.example.org', false],
    ['*.example.com', 'api.Example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'api.example.com:443', false],
    ['*', 'anything:1', true],
    // present_match: a present, empty :authority matches (matcher/header_test.go TestHostMatcher "present match")
    ['*', '', true],
    ['example.com', 'other.com', false],
  ])('host %s against :authority %s -> %s', (pattern, host, want) => {
    expect(istioHostMatch(pattern, host)).toBe(want);
  });

  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.1.2.3', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['185.199.108.0/22', '185.199.111.133', true],
    ['185.199.108.0/22', '185.199.112.1', false],
    ['fd00::/8', 'fd12::1', true],
    ['fd00::/8', '10.0.0.1', false],
    ['bogus', '10.0.0.1', false],
  ])('cidr %s contains %s -> %s', (cidr, ip, want) => {
    expect(ipInCidr(ip, cidr)).toBe(want);
  });
});

describe('namespaces: istiod renders .*/ns/<pattern, each * as .*>/.*, fully matched against the principal', () => {
  // istio/istio:pilot/pkg/security/authz/model/generator.go srcNamespaceGenerator and its
  // TestNamespaceMatcherRegex_Match (the first four rows are its cases)
  const principal = (ns: string, sa = 'admin'): string => `spiffe://cluster.local/ns/${ns}/sa/${sa}`;
  it.each([
    ['ns.prod', principal('ns.prod'), true],
    ['ns.prod', principal('nsXprod'), false],
    ['ns.*.prod', principal('ns.any.prod'), true],
    ['ns.*.prod', principal('nsXanyXprod'), false],
    ['prod-*', principal('prod-eu'), true],
    ['*-prod', principal('eu-prod'), true],
    ['team-*-prod', principal('team-a-prod'), true],
    ['team-*-prod', principal('team-a-dev'), false],
    ['a.b', principal('axb'), false],
    // HTTP matches source.principal, without the scheme: the leading .* takes either
    ['prod-*', 'cluster.local/ns/prod-eu/sa/admin', true],
    // a * runs past the namespace, as the regex does: .*/ns/a.*sa/.* matches .../ns/a/sa/bob
    ['a*sa', principal('a', 'bob'), true],
    ['a*sa', principal('b', 'bob'), false],
  ])('%s against %s -> %s', (pattern, p, want) => {
    expect(istioNamespaceMatch(pattern, p)).toBe(want);
  });

  it('no principal (plaintext) matches no pattern, not even *', () => {
    expect(istioNamespaceMatch('*', null)).toBe(false);
  });

  it('many stars against a long namespace: the answer, not a backtracking hang (a RegExp took minutes)', () => {
    const ns = 'a'.repeat(63);
    expect(istioNamespaceMatch(`${'a*'.repeat(12)}b`, principal(ns, 'sa'))).toBe(false);
    expect(istioNamespaceMatch(`${'a*'.repeat(12)}a`, principal(ns, 'sa'))).toBe(true);
  });
});

describe('request principals split at the last / (generator.go requestPrincipalGenerator)', () => {
  it.each([
    ['https://accounts.example.com/alice', 'https://accounts.example.com', 'alice', true],
    ['https://accounts.example.com/*', 'https://accounts.example.com', 'bob', true],
    ['https://accounts.example.com/*', 'https://accounts.example.com', '', false],
    ['*/alice', 'https://any.example', 'alice', true],
    ['*.example.com/alice', 'https://accounts.example.com', 'alice', true],
    ['iss/al*', 'iss', 'alice', true],
    ['*', 'iss', 'sub', true],
    ['*', 'iss', '', false],
    ['iss/alice', 'iss', 'bob', false],
  ])('%s against iss=%s sub=%s -> %s', (pattern, iss, sub, want) => {
    expect(istioRequestPrincipalMatch(pattern, iss, sub)).toBe(want);
  });
});
