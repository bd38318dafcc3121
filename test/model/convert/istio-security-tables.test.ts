/**
 * istio/istio's checks of AuthorizationPolicy values, from their own tables in
 * pkg/config/security/security_test.go (commit ISTIO_COMMIT; Apache-2.0), which validation.go
 * ValidateAuthorizationPolicy calls: TestValidateCondition (ValidateAttribute, a `when` key and its
 * values), TestCheckTrustDomainValues (source.trustDomains), TestCheckValidPathTemplate
 * (to.operation.paths with `{`). Each case is placed in an ALLOW policy on the field Istio checks it
 * for; the webhook refuses the policy exactly where the table wants an error.
 */
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../../src/commands/lint.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { ISTIO_COMMIT } from '../../engine/istio/echo-world.js';

function errorsOf(rule: Record<string, unknown>): string[] {
  const object = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'p', namespace: 'foo' },
    spec: { rules: [rule] },
  };
  const snapshot = snapshotFromYaml(JSON.stringify(object), { file: 'case.yaml' });
  return lintFindings(snapshot, snapshot.findings)
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.code}: ${f.message}`);
}

const verdict = (errors: string[], wantError: boolean): void => {
  if (wantError) expect(errors).not.toEqual([]);
  else expect(errors).toEqual([]);
};

describe(`pkg/config/security/security_test.go (istio/istio@${ISTIO_COMMIT.slice(0, 12)})`, () => {
  // TestValidateCondition: [key, values, wantError]
  it.each([
    ['request.headers[:authority]', ['productpage', ''], true],
    ['request.headers[:authority]', ['productpage'], false],
    ['request.headers[]', ['productpage'], true],
    ['source.ip', ['1.2.3.4', '5.6.7.0/24'], false],
    ['source.ip', ['a.b.c.d'], true],
    ['remote.ip', ['1.2.3.4', '5.6.7.0/24'], false],
    ['remote.ip', ['a.b.c.d'], true],
    ['source.namespace', ['value'], false],
    ['source.user', ['value'], true],
    ['source.principal', ['value'], false],
    ['source.serviceAccount', ['too/many/slashes'], true],
    ['source.serviceAccount', ['/emptyns'], true],
    ['source.serviceAccount', ['emptysa/'], true],
    ['source.serviceAccount', ['ns/sa'], false],
    ['source.serviceAccount', ['sa'], false],
    ['source.trustDomain', ['cluster.local'], false],
    ['source.trustDomain', ['*'], false],
    ['source.trustDomain', ['foo*'], false],
    ['source.trustDomain', ['*bar'], false],
    ['source.trustDomain', ['fo*-bar'], true],
    ['source.trustDomain', ['fo*bar*'], true],
    ['source.trustDomain', [''], true],
    ['request.auth.principal', ['value'], false],
    ['request.auth.audiences', ['value'], false],
    ['request.auth.presenter', ['value'], false],
    ['request.auth.claims[id]', ['123'], false],
    ['request.auth.claims[]', ['value'], true],
    ['destination.ip', ['1.2.3.4', '5.6.7.0/24'], false],
    ['destination.ip', ['a.b.c.d'], true],
    ['destination.port', ['80', '90'], false],
    ['destination.port', ['80', 'x'], true],
    ['destination.labels[app]', ['value'], true],
    ['destination.name', ['value'], true],
    ['destination.namespace', ['value'], true],
    ['destination.user', ['value'], true],
    ['connection.sni', ['value'], false],
    ['experimental.envoy.filters.a.b[c]', ['value'], false],
    ['experimental.envoy.filters.a.b.x', ['value'], true],
  ] as const)('TestValidateCondition when %s %j -> error %s', (key, values, wantError) => {
    verdict(errorsOf({ when: [{ key, values }] }), wantError);
  });

  // TestCheckTrustDomainValues (CheckWildcardValues and no '/'), on from.source.trustDomains
  it.each([
    ['exact', ['cluster.local'], false],
    ['presence wildcard', ['*'], false],
    ['prefix wildcard', ['cluster-*'], false],
    ['suffix wildcard', ['*-cluster'], false],
    ['empty', [''], true],
    ['slash', ['cluster.local/ns/foo'], true],
    ['spiffe uri', ['spiffe://cluster.local'], true],
  ] as const)('TestCheckTrustDomainValues %s %j -> error %s', (_name, values, wantError) => {
    verdict(errorsOf({ from: [{ source: { trustDomains: values } }] }), wantError);
    verdict(errorsOf({ from: [{ source: { notTrustDomains: values } }] }), wantError);
  });

  // TestCheckValidPathTemplate, on to.operation.paths
  it.each([
    ['/{*}/foo', false],
    ['/{*}/foo/', false],
    ['/foo/{**}/bar', false],
    ['/foo/bar/{**}', false],
    ['/foo/{**}buzz/bar', true],
    ['/{*}/foo/{}/bar', true],
    ['/foo/{*}/bar/*', true],
    ['/foo/{*}/bar/**/buzz', true],
    ['/foo/{buzz}/bar', true],
    ['/{buzz}', true],
    ['/foo/{buzz}/bar/{**}', true],
    ['/foo/{buzz=*}/bar/{**}', true],
    ['/{*}/foo/{buzz=**}/bar', true],
    ['/{*}/foo/{**}bar', true],
    ['/{*}/foo/{*}.txt', true],
    ['/{*}/foo/{temp', true],
    ['/{*}/foo/temp}/bar', true],
    ['/{*}/foo/temp}/*', true],
    ['/{**}/foo/temp/{*}/bar', true],
    ['/{**}/{**}', true],
    ['/{**}/foo/temp/{**}/bar', true],
    ['/{*}/foo/?abc', true],
  ] as const)('TestCheckValidPathTemplate %s -> error %s', (path, wantError) => {
    verdict(errorsOf({ to: [{ operation: { paths: [path] } }] }), wantError);
  });
});
