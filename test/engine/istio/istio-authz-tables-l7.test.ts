/**
 * istio/istio's own authorization integration cases, second part: plaintext, paths, conditions,
 * JWT and workload selectors. Source: istio/istio:tests/integration/security/authz_test.go and
 * tests/integration/security/testdata/authz/*.yaml.tmpl (commit ISTIO_COMMIT); tokens from
 * istio/istio:tests/common/jwt/jwt_token.go (test/fixtures/istio-authz/jwt-tokens.json).
 * `.Allowed` is ns1/a, `.Denied` is ns2/a, `.To` is ns1/b (see echo-world.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, echoWorld, ISTIO_COMMIT, policy, type EchoCall } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:tests/integration/security/authz_test.go`;
const TOKENS = (
  JSON.parse(readFileSync(new URL('../../fixtures/istio-authz/jwt-tokens.json', import.meta.url), 'utf8')) as {
    tokens: Record<string, string>;
  }
).tokens;

interface Row extends EchoCall {
  readonly test: string;
  readonly yaml: string;
  readonly allow: boolean;
}

const mtls =
  policy('ns1', 'PeerAuthentication', 'b', '{selector: {matchLabels: {app: b}}, mtls: {mode: STRICT}}') +
  policy('ns1', 'DestinationRule', 'b', '{host: b.ns1.svc.cluster.local, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}');
const ap = (ns: string, name: string, spec: string) => policy(ns, 'AuthorizationPolicy', name, spec);
const onB = (rules: string, action = 'ALLOW') =>
  `{selector: {matchLabels: {app: b}}, action: ${action}, rules: ${rules}}`;

/** plaintext.yaml.tmpl: the client in the Denied namespace (ns2) disables TLS to b.ns1 */
const plaintext =
  policy('ns1', 'PeerAuthentication', 'ns-default', '{mtls: {mode: PERMISSIVE}}') +
  policy(
    'ns1',
    'DestinationRule',
    'default',
    '{host: "*.ns1.svc.cluster.local", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}',
  ) +
  ap('ns1', 'b', onB('[{from: [{source: {notPrincipals: ["*"]}}]}]', 'DENY')) +
  policy('ns2', 'DestinationRule', 'b', '{host: b.ns1.svc.cluster.local, trafficPolicy: {tls: {mode: DISABLE}}}');

const pathPrecedence =
  ap('ns1', 'policy-b-deny', onB('[{to: [{operation: {paths: ["/allow/admin"]}}]}]', 'DENY')) +
  ap('ns1', 'policy-b-allow', onB('[{to: [{operation: {paths: ["/allow*"]}}]}]'));

const pathTemplating = ap(
  'ns1',
  'b',
  onB('[{to: [{operation: {paths: ["/allow/admin/{**}", "/foo/{*}/bar/{**}", "/store/{**}/cart"]}}]}]'),
);

/** conditions.yaml.tmpl without source-ip and destination-ip (echo Deployments carry no pod IP) */
const when = (name: string, rules: [string, string][]) =>
  ap(
    'ns1',
    `b-${name}`,
    onB(`[${rules.map(([path, cond]) => `{to: [{operation: {paths: ["${path}"]}}], when: [${cond}]}`).join(', ')}]`),
  );
const conditions =
  when('request-headers', [
    ['/request-headers', '{key: "request.headers[x-foo]", values: ["foo"]}'],
    ['/request-headers-notValues', '{key: "request.headers[x-foo]", notValues: ["bar"]}'],
  ]) +
  when('source-namespace', [
    ['/source-namespace', '{key: source.namespace, values: ["ns1"]}'],
    ['/source-namespace-notValues', '{key: source.namespace, notValues: ["ns2"]}'],
  ]) +
  when('source-principal', [
    ['/source-principal', '{key: source.principal, values: ["cluster.local/ns/ns1/sa/a"]}'],
    ['/source-principal-notValues', '{key: source.principal, notValues: ["cluster.local/ns/ns2/sa/a"]}'],
  ]) +
  when('source-trust-domain', [
    ['/source-trust-domain', '{key: source.trustDomain, values: ["cluster.local"]}'],
    ['/source-trust-domain-notValues', '{key: source.trustDomain, notValues: ["bad.example.com"]}'],
  ]) +
  when('destination-port', [
    ['/destination-port-good', '{key: destination.port, values: ["18080"]}'],
    ['/destination-port-bad', '{key: destination.port, values: ["1"]}'],
    ['/destination-port-notValues', '{key: destination.port, notValues: ["18080"]}'],
  ]) +
  when('connection-sni', [
    ['/connection-sni-good', '{key: connection.sni, values: ["*.b.ns1.svc.cluster.local"]}'],
    ['/connection-sni-bad', '{key: connection.sni, values: ["never-matched"]}'],
    ['/connection-sni-notValues', '{key: connection.sni, notValues: ["*.b.ns1.svc.cluster.local"]}'],
  ]);

/** jwt.yaml.tmpl, applied in ns1; the JWKS server is the test's own (address not modelled) */
const JWKS = 'http://jwt-server.istio-system.svc.cluster.local:8000/jwks';
const jwtRule = (path: string, extra: string) =>
  `{to: [{operation: {paths: ["${path}"], methods: ["GET"]}}], ${extra}}`;
const claim = (key: string, values: string) => `when: [{key: "request.auth.claims${key}", values: ${values}}]`;
const jwtPolicies =
  policy(
    'ns1',
    'RequestAuthentication',
    'default',
    `{jwtRules: [{issuer: "test-issuer-1@istio.io", jwksUri: "${JWKS}"}, {issuer: "test-issuer-2@istio.io", jwksUri: "${JWKS}", spaceDelimitedClaims: ["custom_scope", "teams"]}]}`,
  ) +
  ap(
    'ns1',
    'b',
    `{selector: {matchLabels: {app: b}}, rules: [
  ${jwtRule('/token1', 'from: [{source: {requestPrincipals: ["test-issuer-1@istio.io/sub-1"]}}]')},
  ${jwtRule('/token2', claim('[groups]', '["group-2"]'))},
  ${jwtRule('/tokenAny', 'from: [{source: {requestPrincipals: ["*"]}}]')},
  ${jwtRule('/scope', claim('[scope]', '["append", "write"]'))},
  ${jwtRule('/otherscope', claim('[scope]', '["admin"]'))},
  ${jwtRule('/permission', claim('[permission]', '["write", "append"]'))},
  ${jwtRule('/custom-scope-admin', claim('[custom_scope]', '["admin"]'))},
  ${jwtRule('/custom-scope-user', claim('[custom_scope]', '["user"]'))},
  ${jwtRule('/nested-key1', claim('[nested][key1]', '["valueB"]'))},
  ${jwtRule('/nested-non-exist', claim('[nested][non-exist]', '["valueC"]'))},
  ${jwtRule('/nested-key2', claim('[nested][key2]', '["valueC"]'))},
  ${jwtRule('/nested-2-key1', claim('[nested][nested-2][key1]', '["valueA"]'))},
  {to: [{operation: {paths: ["/valid-jwt"]}}], when: [{key: request.auth.principal, values: ["*"]}]},
  {to: [{operation: {paths: ["*/presenter"]}}], when: [{key: request.auth.presenter, values: ["bar"]}]},
  {to: [{operation: {paths: ["*/audiences"]}}], when: [{key: request.auth.audiences, values: ["foo"]}]},
  ${jwtRule('/token3', 'from: [{source: {notRequestPrincipals: ["test-issuer-1@istio.io/sub-1"]}}]')}]}`,
  );

/** TestAuthz_JWT cases: [token constant or '' for none, path, allow] */
const JWT_CASES: readonly (readonly [string, string, boolean])[] = [
  ['', '/token1', false],
  ['', '/token2', false],
  ['TokenIssuer1', '/token1', true],
  ['TokenIssuer1', '/token2', false],
  ['TokenIssuer2', '/token1', false],
  ['TokenIssuer2', '/token2', true],
  ['TokenIssuer1', '/token3', false],
  ['TokenIssuer2', '/token3', true],
  ['TokenIssuer1', '/tokenAny', true],
  ['TokenIssuer2', '/tokenAny', true],
  ['TokenIssuer1', '/permission', false],
  ['TokenIssuer2', '/permission', false],
  ['TokenIssuer2WithSpaceDelimitedPermission', '/permission', true],
  ['TokenIssuer2WithSpaceDelimitedScope', '/scope', true],
  ['TokenIssuer2WithSpaceDelimitedScope', '/otherscope', false],
  ['TokenIssuer2WithCustomScopeSpaceDelimitedScope', '/custom-scope-admin', true],
  ['TokenIssuer2WithCustomScopeSpaceDelimitedScope', '/custom-scope-user', true],
  ['', '/custom-scope-admin', false],
  ['', '/custom-scope-user', false],
  ['TokenIssuer1', '/custom-scope-admin', false],
  ['TokenIssuer1', '/custom-scope-user', false],
  ['TokenIssuer1WithNestedClaims1', '/nested-key1', true],
  ['TokenIssuer1WithNestedClaims2', '/nested-key1', false],
  ['TokenIssuer1WithNestedClaims1', '/nested-key2', false],
  ['TokenIssuer1WithNestedClaims2', '/nested-key2', true],
  ['TokenIssuer1WithNestedClaims1', '/nested-2-key1', true],
  ['TokenIssuer1WithNestedClaims2', '/nested-2-key1', false],
  ['TokenIssuer1WithNestedClaims1', '/nested-non-exist', false],
  ['TokenIssuer1WithNestedClaims2', '/nested-non-exist', false],
  ['', '/tokenAny', false],
  ['TokenIssuer1WithAud', '/audiences', true],
  ['TokenIssuer1WithAudList', '/audiences', true],
];

/** TestAuthz_WorkloadSelector: workload, workload-bad, workload-ns (ns1, ns2), workload-system-ns */
const selectorPolicies =
  ap('ns1', 'policy-b', onB('[{to: [{operation: {paths: ["/policy-ns1-b"]}}]}]')) +
  ap(
    'ns1',
    'policy-b-bad',
    '{selector: {matchLabels: {app: b, foo: bla}}, rules: [{to: [{operation: {paths: ["/policy-ns1-b-bad"]}}]}]}',
  ) +
  ap('ns1', 'policy-ns1-all', '{rules: [{to: [{operation: {paths: ["/policy-ns1-all"]}}]}]}') +
  ap('ns2', 'policy-ns2-all', '{rules: [{to: [{operation: {paths: ["/policy-ns2-all"]}}]}]}') +
  ap('istio-system', 'policy-system-b', onB('[{to: [{operation: {paths: ["/policy-system-b"]}}]}]')) +
  ap(
    'istio-system',
    'policy-system-a',
    '{selector: {matchLabels: {app: a}}, rules: [{to: [{operation: {paths: ["/policy-system-a"]}}]}]}',
  ) +
  ap(
    'ns1',
    'policy-a',
    '{selector: {matchLabels: {app: a}}, rules: [{to: [{operation: {paths: ["/policy-ns1-a"]}}]}]}',
  );
const SELECTOR_CASES: readonly (readonly [string, boolean, string])[] = [
  ['/policy-ns1-b-bad', false, ''],
  ['/policy-ns1-b-bad', true, 'foo: bla'], // updateLabel: b's pods gain foo=bla
  ['/policy-ns1-all', true, ''],
  ['/policy-ns2-all', false, ''],
  ['/policy-ns1-b', true, ''],
  ['/policy-system-b', true, ''],
  ['/policy-ns1-a', false, ''], // another service's workload-specific path
  ['/policy-system-a', false, ''],
];

const isAllowed = (from: string) => from === 'ns1/a';
const FROMS = ['ns1/a', 'ns2/a'];

const TABLE: Row[] = [
  ...FROMS.flatMap((from) =>
    (['grpc', 'tcp', 'http', 'http2'] as const).map((port) => ({
      test: 'TestAuthz_DenyPlaintext',
      yaml: echoWorld() + plaintext,
      from,
      to: 'ns1/b',
      port,
      allow: isAllowed(from),
    })),
  ),
  ...(
    [
      ['/allow/admin', false],
      ['/allow/admin?param=value', false],
      ['/allow', true],
      ['/allow?param=value', true],
    ] as const
  ).map(([path, allow]) => ({
    test: 'TestAuthz_PathPrecedence',
    yaml: echoWorld() + pathPrecedence,
    from: 'ns1/a',
    to: 'ns1/b',
    port: 'http' as const,
    path,
    allow,
  })),
  ...(
    [
      ['/allow/admin/', true],
      ['/allow/admin', false],
      ['/allow/user/', false],
      ['/allow/admin?param=value', false],
      ['/allow', false],
      ['/allow/admin/temp', true],
      ['/allow/admin/temp.txt', true],
      ['/allow/admin/foo/temp.txt', true],
      ['/foo/buzz/bar/bat.txt', true],
      ['/foo/buzz/bar/bat.temp.txt', true],
      ['/foo/buzz/bar/bat/fuzz.txt', true],
      ['/foo/bar/bat.txt', false],
      ['/foo//bar/bat.txt', false],
      ['/foo/buzz/bar/bat', true],
      ['/store//cart', true],
      ['/store/cart', false],
      ['/store/foo/cart', true],
      ['/store/foo/bar/cart', true],
    ] as const
  ).map(([path, allow]) => ({
    test: 'TestAuthz_PathTemplating',
    yaml: echoWorld() + pathTemplating,
    from: 'ns1/a',
    to: 'ns1/b',
    port: 'http' as const,
    path,
    allow,
  })),
  ...FROMS.flatMap((from) =>
    (
      [
        ['/request-headers', { 'x-foo': 'foo' }, true],
        ['/request-headers', { 'x-foo': 'bar' }, false],
        ['/request-headers', undefined, false],
        ['/request-headers-notValues', { 'x-foo': 'foo' }, true],
        ['/request-headers-notValues', { 'x-foo': 'bar' }, false],
        ['/source-namespace', undefined, isAllowed(from)],
        ['/source-namespace-notValues', undefined, isAllowed(from)],
        ['/source-principal', undefined, isAllowed(from)],
        ['/source-principal-notValues', undefined, isAllowed(from)],
        ['/source-trust-domain', undefined, true],
        ['/source-trust-domain-notValues', undefined, true],
        ['/destination-port-good', undefined, true],
        ['/destination-port-bad', undefined, false],
        ['/destination-port-notValues', undefined, false],
        ['/connection-sni-good', undefined, true],
        ['/connection-sni-bad', undefined, false],
        ['/connection-sni-notValues', undefined, false],
        ['/other', undefined, false],
      ] as const
    ).map(([path, headers, allow]) => ({
      test: 'TestAuthz_Conditions',
      yaml: echoWorld() + mtls + conditions,
      from,
      to: 'ns1/b',
      port: 'http' as const,
      path,
      ...(headers ? { headers } : {}),
      allow,
    })),
  ),
  ...JWT_CASES.flatMap(([token, path, allow]) =>
    (['http', 'http2'] as const).map((port) => ({
      test: `TestAuthz_JWT [${token || 'No JWT'}]`,
      yaml: echoWorld() + jwtPolicies,
      from: 'ns1/a',
      to: 'ns1/b',
      port,
      path,
      ...(token ? { jwt: { token: TOKENS[token] ?? '' } } : {}),
      allow,
    })),
  ),
  ...SELECTOR_CASES.map(([path, allow, bLabels]) => ({
    test: `TestAuthz_WorkloadSelector${bLabels ? ' (b labelled foo=bla)' : ''}`,
    yaml: echoWorld(bLabels) + selectorPolicies,
    from: 'ns1/a',
    to: 'ns1/b',
    port: 'http' as const,
    path,
    allow,
  })),
];

describe(SRC, () => {
  it.each(TABLE)('$test: $from -> $to $port $path $headers => allow $allow', (row) => {
    expect(call(row.yaml, row).verdict).toBe(row.allow ? 'allowed' : 'denied');
  });
});

/**
 * TestAuthz_CustomServer with custom-provider.yaml.tmpl: the test's ext-authz server allows a
 * request carrying `x-ext-authz: allow` and denies `x-ext-authz: deny`; meshdbg cannot run that
 * server, so its answer is the query's `extAuthz`. What the rows check is which requests reach it:
 * /custom does (the CUSTOM rule matches), /health never does (allowed whatever the server says).
 */
describe(`${SRC} TestAuthz_CustomServer (ext-authz answer given as extAuthz)`, () => {
  const mesh = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    extensionProviders:
    - name: ext-authz-http
      envoyExtAuthzHttp: {service: ext-authz.ns1.svc.cluster.local, port: 8000, includeRequestHeadersInCheck: [x-ext-authz]}
`;
  const custom = ap(
    'ns1',
    'custom-b',
    `{selector: {matchLabels: {app: b}}, action: CUSTOM, provider: {name: ext-authz-http}, rules: [
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/custom"], methods: ["GET"]}}]},
  {to: [{operation: {ports: ["17070"], paths: ["/proto.EchoTestService/Echo"], methods: ["POST"]}}]},
  {to: [{operation: {ports: ["19090"]}}]}]}`,
  );
  it.each([
    ['http', '/custom', 'allow', true],
    ['http', '/custom', 'deny', false],
    ['http2', '/custom', 'allow', true],
    ['http2', '/custom', 'deny', false],
    ['grpc', '', 'allow', true],
    ['grpc', '', 'deny', false],
    ['http', '/health', 'allow', true],
    ['http', '/health', 'deny', true],
    ['http2', '/health', 'deny', true],
  ] as const)('%s %s with x-ext-authz: %s => allow %s', (port, path, answer, allow) => {
    const e = call(echoWorld() + mesh + custom, {
      from: 'ns1/a',
      to: 'ns1/b',
      port,
      path,
      headers: { 'x-ext-authz': answer },
      extAuthz: answer,
    });
    expect(e.verdict).toBe(allow ? 'allowed' : 'denied');
  });
});
