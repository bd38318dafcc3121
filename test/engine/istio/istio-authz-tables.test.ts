/**
 * istio/istio's own authorization integration cases as explain vectors. Source:
 * istio/istio:tests/integration/security/authz_test.go and the templates it applies from
 * tests/integration/security/testdata/authz/ (commit ISTIO_COMMIT). Each row is one call of a
 * test (`from` -> `to` on an echo port, with the path/method/headers it sends) and the verdict
 * that test expects (`allow` true: 200, false: 403 or a refused TCP connection). The templates'
 * parameters are filled in for the echo world of echo-world.ts: `.Allowed` is ns1/a,
 * `.Denied` is ns2/a, `.To` is b (ns1 unless the row says ns2).
 */
import { describe, expect, it } from 'vitest';
import { call, echoWorld, ISTIO_COMMIT, policy, type EchoCall, type EchoPort } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:tests/integration/security/authz_test.go`;

/** mtls.yaml.tmpl: STRICT for b, ISTIO_MUTUAL to b */
const mtls = (ns: string) =>
  policy(ns, 'PeerAuthentication', 'b', '{selector: {matchLabels: {app: b}}, mtls: {mode: STRICT}}') +
  policy(ns, 'DestinationRule', 'b', `{host: b.${ns}.svc.cluster.local, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}`);

/** allow-principal / allow-serviceaccount / allow-namespace.yaml.tmpl: the same three rules, one source field */
const allowBy = (ns: string, source: string) =>
  policy(
    ns,
    'AuthorizationPolicy',
    'b',
    `{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/allow"], methods: ["GET"]}}], from: [{source: ${source}}]},
  {to: [{operation: {ports: ["17070"], paths: ["/proto.EchoTestService/Echo"], methods: ["POST"]}}], from: [{source: ${source}}]},
  {to: [{operation: {ports: ["19090"]}}], from: [{source: ${source}}]}]}`,
  );

/** deny-principal / deny-namespace.yaml.tmpl */
const denyBy = (ns: string, source: string) =>
  policy(
    ns,
    'AuthorizationPolicy',
    'b',
    `{selector: {matchLabels: {app: b}}, action: DENY, rules: [
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/deny*"], notPaths: ["/deny/allow"], methods: ["GET"]}}], from: [{source: ${source}}]},
  {to: [{operation: {ports: ["17070"], paths: ["/proto.EchoTestService/Echo"], methods: ["POST"]}}], from: [{source: ${source}}]},
  {to: [{operation: {ports: ["19090"]}}], from: [{source: ${source}}]}]}`,
  );

/** deny-global.yaml.tmpl, applied in the root namespace */
const denyGlobal = policy(
  'istio-system',
  'AuthorizationPolicy',
  'policy-deny-system',
  '{action: DENY, rules: [{to: [{operation: {ports: ["18080", "18085"], paths: ["/global-deny*"], notPaths: ["/global-deny/allow"]}}]}]}',
);

interface Row extends EchoCall {
  readonly test: string;
  readonly yaml: string;
  readonly allow: boolean;
}

/** one row per (from, port, path) of a case list, `allow` computed as the Go test computes it */
function rows(
  test: string,
  yaml: string,
  froms: readonly string[],
  cases: readonly { ports: readonly EchoPort[]; path?: string; allow: (from: string) => boolean }[],
  to = 'ns1/b',
): Row[] {
  return froms.flatMap((from) =>
    cases.flatMap((c) =>
      c.ports.map((port) => ({
        test,
        yaml,
        from,
        to,
        port,
        ...(c.path ? { path: c.path } : {}),
        allow: c.allow(from),
      })),
    ),
  );
}

const FROMS = ['ns1/a', 'ns2/a'] as const;
const isAllowed = (from: string) => from === 'ns1/a';
const isNotDenied = (from: string) => from !== 'ns2/a';
const always = () => true;
const never = () => false;

/** TestAuthz_Principal, TestAuthz_ServiceAccount, TestAuthz_Namespace share this case list */
const allowCases = [
  { ports: ['grpc', 'tcp'] as const, allow: isAllowed },
  { ports: ['http', 'http2'] as const, path: '/allow', allow: isAllowed },
  { ports: ['http', 'http2'] as const, path: '/allow?param=value', allow: isAllowed },
  { ports: ['http', 'http2'] as const, path: '/deny', allow: never },
  { ports: ['http', 'http2'] as const, path: '/deny?param=value', allow: never },
];

/** TestAuthz_DenyPrincipal and TestAuthz_DenyNamespace share this case list */
const denyCases = [
  { ports: ['grpc', 'tcp'] as const, allow: isNotDenied },
  { ports: ['http', 'http2'] as const, path: '/deny', allow: isNotDenied },
  { ports: ['http', 'http2'] as const, path: '/deny?param=value', allow: isNotDenied },
  { ports: ['http', 'http2'] as const, path: '/deny/allow', allow: always },
  { ports: ['http', 'http2'] as const, path: '/deny/allow?param=value', allow: always },
  { ports: ['http', 'http2'] as const, path: '/allow', allow: always },
  { ports: ['http', 'http2'] as const, path: '/allow?param=value', allow: always },
  { ports: ['http', 'http2'] as const, path: '/global-deny', allow: never },
  { ports: ['http', 'http2'] as const, path: '/global-deny?param=value', allow: never },
  { ports: ['http', 'http2'] as const, path: '/global-deny/allow', allow: always },
  { ports: ['http', 'http2'] as const, path: '/global-deny/allow?param=value', allow: always },
];

const trustDomain = policy(
  'ns1',
  'AuthorizationPolicy',
  'b',
  `{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/allow"], methods: ["GET"]}}], from: [{source: {trustDomains: ["cluster.local"]}}]},
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/deny"], methods: ["GET"]}}], from: [{source: {trustDomains: ["bad.example.com"]}}]},
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/not-trust-domain"], methods: ["GET"]}}], from: [{source: {notTrustDomains: ["cluster.local"]}}]},
  {to: [{operation: {ports: ["18080", "18085"], paths: ["/not-deny"], methods: ["GET"]}}], from: [{source: {notTrustDomains: ["bad.example.com"]}}]},
  {to: [{operation: {ports: ["17070"], paths: ["/proto.EchoTestService/Echo"], methods: ["POST"]}}], from: [{source: {trustDomains: ["cluster.local"]}}]},
  {to: [{operation: {ports: ["19090"]}}], from: [{source: {trustDomains: ["cluster.local"]}}]}]}`,
);

const PRINCIPAL = '{principals: ["cluster.local/ns/ns1/a"]}'.replace('ns1/a', 'ns1/sa/a');
const DENIED_PRINCIPAL = '{principals: ["cluster.local/ns/ns2/sa/a"]}';

const TABLE: readonly Row[] = [
  ...rows('TestAuthz_Principal', echoWorld() + mtls('ns1') + allowBy('ns1', PRINCIPAL), FROMS, allowCases),
  ...rows(
    'TestAuthz_ServiceAccount',
    echoWorld() + mtls('ns1') + allowBy('ns1', '{serviceAccounts: ["ns1/a"]}'),
    FROMS,
    allowCases,
  ),
  ...rows('TestAuthz_TrustDomain', echoWorld() + mtls('ns1') + trustDomain, FROMS, [
    { ports: ['grpc', 'tcp'], allow: always },
    { ports: ['http', 'http2'], path: '/allow', allow: always },
    { ports: ['http', 'http2'], path: '/deny', allow: never },
    { ports: ['http', 'http2'], path: '/not-trust-domain', allow: never },
    { ports: ['http', 'http2'], path: '/not-deny', allow: always },
  ]),
  ...rows(
    'TestAuthz_DenyPrincipal',
    echoWorld() + mtls('ns1') + denyGlobal + denyBy('ns1', DENIED_PRINCIPAL),
    FROMS,
    denyCases,
  ),
  // TestAuthz_Namespace and TestAuthz_DenyNamespace: to b in ns1 and in ns2 (Ns1AndNs2)
  ...['ns1', 'ns2'].flatMap((ns) =>
    rows(
      'TestAuthz_Namespace',
      echoWorld() + mtls(ns) + allowBy(ns, '{namespaces: ["ns1"]}'),
      FROMS,
      allowCases,
      `${ns}/b`,
    ),
  ),
  ...['ns1', 'ns2'].flatMap((ns) =>
    rows(
      'TestAuthz_DenyNamespace',
      echoWorld() + mtls(ns) + denyGlobal + denyBy(ns, '{namespaces: ["ns2"]}'),
      FROMS,
      denyCases.map((c) => (c.allow === isNotDenied ? { ...c, allow: isAllowed } : c)),
      `${ns}/b`,
    ),
  ),
  ...rows(
    'TestAuthz_NotNamespace',
    echoWorld() +
      mtls('ns1') +
      policy(
        'ns1',
        'AuthorizationPolicy',
        'b-deny',
        '{selector: {matchLabels: {app: b}}, action: DENY, rules: [{from: [{source: {notNamespaces: ["ns1"]}}]}]}',
      ),
    FROMS,
    [{ ports: ['grpc', 'tcp', 'http', 'http2'], allow: isAllowed }],
  ),
  ...['ns1', 'ns2'].flatMap((ns) =>
    ['GET', 'PUT'].flatMap((method) =>
      (['http', 'http2'] as const).map((port) => ({
        test: 'TestAuthz_NotMethod',
        yaml:
          echoWorld() +
          policy(
            ns,
            'AuthorizationPolicy',
            'b-allow',
            '{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notMethods: ["PUT"]}}]}]}',
          ),
        from: 'ns1/a',
        to: `${ns}/b`,
        port,
        method,
        allow: method === 'GET',
      })),
    ),
  ),
  ...['ns1', 'ns2'].flatMap((ns) =>
    rows(
      'TestAuthz_NotPort',
      echoWorld() +
        policy(
          ns,
          'AuthorizationPolicy',
          'b-allow',
          '{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notPorts: ["18085"]}}]}]}',
        ),
      ['ns1/a'],
      [
        { ports: ['http'], allow: always },
        { ports: ['http2'], allow: never },
      ],
      `${ns}/b`,
    ),
  ),
];

describe(SRC, () => {
  it.each(TABLE)('$test: $from -> $to $port $method $path => allow $allow', (row) => {
    expect(call(row.yaml, row).verdict).toBe(row.allow ? 'allowed' : 'denied');
  });
});
