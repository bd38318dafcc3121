/**
 * istio/istio's generator tests (pilot/pkg/security/authz/model/generator_test.go, commit ISTIO_COMMIT)
 * as explain vectors, for the cases a real workload or token can express:
 * - TestServiceAccount: `serviceAccounts: [my-ns/my-sa]` against the identities of real pods
 *   ("standard", "sa suffix string", "ns suffix string"; the others need SPIFFE ids no pod has);
 * - TestNamespaceMatcherRegex_Match "wildcard-match-with-dot": `ns.*.prod` must not match `nsxanyxprod`
 *   (its matching side, a namespace with dots, is no valid namespace name);
 * - srcTrustDomainGenerator exact / `*` / `cluster.*` / `*local` (spiffe://cluster.local/... matches each);
 * - TestRequestPrincipal: `iss/sub` patterns become an issuer matcher and a subject matcher
 *   (`foo*`: iss prefix foo, sub present; `foo/bar*`: iss foo, sub prefix bar; `*bar/foo`: iss
 *   suffix bar, sub foo; ...), asked with tokens whose claims sit on either side of each matcher.
 */
import { describe, expect, it } from 'vitest';
import { call, echoWorld, ISTIO_COMMIT, policy } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:pilot/pkg/security/authz/model/generator_test.go`;

function client(ns: string, sa: string): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${sa}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${sa}}}
  template:
    metadata: {labels: {app: ${sa}}}
    spec: {serviceAccountName: ${sa}, containers: [{name: app}]}
`;
}

const allowB = (rule: string) =>
  policy('ns1', 'AuthorizationPolicy', 'b', `{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [${rule}]}`);

const CLIENTS =
  client('my-ns', 'my-sa') +
  client('my-ns', 'my-sa-suffix') +
  client('my-ns-suffix', 'my-sa') +
  client('nsxanyxprod', 'admin');

const IDENTITY_ROWS: readonly (readonly [string, string, string, boolean])[] = [
  ['TestServiceAccount standard', '{from: [{source: {serviceAccounts: ["my-ns/my-sa"]}}]}', 'my-ns/my-sa', true],
  [
    'TestServiceAccount sa suffix string',
    '{from: [{source: {serviceAccounts: ["my-ns/my-sa"]}}]}',
    'my-ns/my-sa-suffix',
    false,
  ],
  [
    'TestServiceAccount ns suffix string',
    '{from: [{source: {serviceAccounts: ["my-ns/my-sa"]}}]}',
    'my-ns-suffix/my-sa',
    false,
  ],
  [
    'TestNamespaceMatcherRegex_Match wildcard-match-with-dot (noMatch)',
    '{from: [{source: {namespaces: ["ns.*.prod"]}}]}',
    'nsxanyxprod/admin',
    false,
  ],
  [
    'srcTrustDomainGenerator-exact',
    '{when: [{key: source.trustDomain, values: ["cluster.local"]}]}',
    'my-ns/my-sa',
    true,
  ],
  ['srcTrustDomainGenerator-wildcard', '{when: [{key: source.trustDomain, values: ["*"]}]}', 'my-ns/my-sa', true],
  [
    'srcTrustDomainGenerator-prefix-wildcard',
    '{when: [{key: source.trustDomain, values: ["cluster.*"]}]}',
    'my-ns/my-sa',
    true,
  ],
  [
    'srcTrustDomainGenerator-suffix-wildcard',
    '{when: [{key: source.trustDomain, values: ["*local"]}]}',
    'my-ns/my-sa',
    true,
  ],
  [
    'srcTrustDomainGenerator-prefix-wildcard (other domain)',
    '{when: [{key: source.trustDomain, values: ["other.*"]}]}',
    'my-ns/my-sa',
    false,
  ],
];

describe(`${SRC} identities`, () => {
  it.each(IDENTITY_ROWS)('%s: %s from %s => %s', (_name, rule, from, allow) => {
    const e = call(echoWorld() + CLIENTS + allowB(rule), { from, to: 'ns1/b', port: 'http', path: '/' });
    expect(e.verdict).toBe(allow ? 'allowed' : 'denied');
  });
});

/** TestRequestPrincipal: [pattern, iss, sub, match] */
const REQUEST_PRINCIPAL_ROWS: readonly (readonly [string, string, string, boolean])[] = [
  ['*', 'foo', 'bar', true],
  ['foo*', 'foox', 'bar', true],
  ['foo*', 'xfoo', 'bar', false],
  ['foo/*', 'foo', 'anything', true],
  ['foo/*', 'foox', 'anything', false],
  ['foo/bar*', 'foo', 'barbaz', true],
  ['foo/bar*', 'foo', 'xbar', false],
  ['foo/bar*', 'foox', 'barbaz', false],
  ['*foo', 'any', 'xfoo', true],
  ['*foo', 'any', 'foox', false],
  ['*/foo', 'any', 'foo', true],
  ['*/foo', 'any', 'xfoo', false],
  ['*bar/foo', 'xbar', 'foo', true],
  ['*bar/foo', 'barx', 'foo', false],
  ['foo/bar', 'foo', 'bar', true],
  ['foo/bar', 'foo', 'baz', false],
];

describe(`${SRC} TestRequestPrincipal`, () => {
  const issuers = [...new Set(REQUEST_PRINCIPAL_ROWS.map((r) => r[1]))];
  const authn = policy(
    'ns1',
    'RequestAuthentication',
    'jwt',
    `{jwtRules: [${issuers.map((iss) => `{issuer: "${iss}", jwks: '{"keys": []}'}`).join(', ')}]}`,
  );
  it.each(REQUEST_PRINCIPAL_ROWS)('requestPrincipals [%s] with iss %s, sub %s => %s', (pattern, iss, sub, match) => {
    const yaml = echoWorld() + authn + allowB(`{from: [{source: {requestPrincipals: ["${pattern}"]}}]}`);
    const e = call(yaml, { from: 'ns1/a', to: 'ns1/b', port: 'http', path: '/', jwt: { claims: { iss, sub } } });
    expect(e.verdict).toBe(match ? 'allowed' : 'denied');
  });
});
