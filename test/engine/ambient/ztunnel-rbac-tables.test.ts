/**
 * ztunnel's own authorization test cases as explain vectors. Each row cites the ztunnel test it
 * comes from (istio/ztunnel, commit 62d826530e5ce85764e309170205b293efcbc80b) and asserts the
 * verdict that test expects; the ztunnel data (an `RbacMatch` on a `Connection`) is translated
 * into the AuthorizationPolicy istiod would turn into it (istio/istio
 * pilot/pkg/serviceregistry/ambient/authorization.go) and a flow between ambient pods.
 *
 * Translation of the connections of src/rbac.rs (`plaintext_conn`, `tls_conn`, `tls_conn_alt`):
 * - plaintext 127.0.0.1 -> 127.0.0.2:8080, no identity: `outside/plain` (no mesh, 10.1.0.1) -> `dst/server` (10.2.0.2)
 * - tls, same addresses, identity td/ns/namespace/sa/account: `namespace/account` (ambient, 10.1.0.2) -> `dst/server`
 * - tls_conn_alt 127.0.0.3 -> 127.0.0.4:9090, identity td-alt/ns/ns-alt/sa/sa=alt:
 *   `ns-alt/client-alt` (sa `sa-alt`, 10.1.0.3) -> `dst/server-alt` (10.2.0.4)
 * A Snapshot cannot hold two pods with one IP, so the plaintext and tls clients differ
 * (10.1.0.1, 10.1.0.2) where ztunnel's both use 127.0.0.1: an IP list naming 127.0.0.1 names both.
 * The trust domain is the mesh's (`cluster.local`) where the test writes `td`: the principal
 * rows compare the whole principal, and `tls_conn_alt` already differs in namespace and account.
 * `allow_policy` has Global scope: the policy lives in the root namespace (istio-system).
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, deploy, namespace, service, waypoint } from './world.js';

const ZTUNNEL = 'istio/ztunnel@62d826530e5ce85764e309170205b293efcbc80b';

function pod(ns: string, name: string, sa: string, ip: string, port: number): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  serviceAccountName: ${sa}
  containers: [{name: app, ports: [{containerPort: ${port}}]}]
status: {podIP: ${ip}}
`;
}

const WORLD =
  namespace('dst') +
  namespace('namespace') +
  namespace('ns-alt') +
  namespace('outside', 'team: legacy') +
  pod('dst', 'server', 'server', '10.2.0.2', 8080) +
  pod('dst', 'server-alt', 'server-alt', '10.2.0.4', 9090) +
  pod('outside', 'plain', 'plain', '10.1.0.1', 1234) +
  pod('namespace', 'account', 'account', '10.1.0.2', 1234) +
  pod('ns-alt', 'client-alt', 'sa-alt', '10.1.0.3', 1234);

type Conn = 'plaintext' | 'tls' | 'tlsAlt';
const CONN: Record<Conn, { src: string; dst: string; port: number }> = {
  plaintext: { src: 'outside/plain', dst: 'dst/server', port: 8080 },
  tls: { src: 'namespace/account', dst: 'dst/server', port: 8080 },
  tlsAlt: { src: 'ns-alt/client-alt', dst: 'dst/server-alt', port: 9090 },
};

function verdictOf(policies: string, conn: { src: string; dst: string; port: number }): string {
  const e = explainOk(snapshotFromYaml(WORLD + policies), { ...conn, http: null });
  return e.verdict;
}

const globalAllow = (spec: string) => authz('istio-system', 'allow', `{action: ALLOW, ${spec}}`);

/** rbac_test!(field, value, plaintext_conn => a, tls_conn => b, tls_conn_alt => c) */
interface MatchRow {
  readonly test: string;
  /** the AuthorizationPolicy rule istiod turns into that one RbacMatch */
  readonly rule: string;
  readonly expect: Record<Conn, boolean>;
}

const SRC_IPS = '"10.1.0.1/32", "10.1.0.2/32"'; // 127.0.0.1/32: the plaintext and tls clients
const ACCOUNT = '"cluster.local/ns/namespace/sa/account"'; // td/ns/namespace/sa/account

const MATCH_ROWS: readonly MatchRow[] = [
  {
    test: 'namespaces',
    rule: '{from: [{source: {namespaces: ["namespace"]}}]}',
    expect: { plaintext: false, tls: true, tlsAlt: false },
  },
  {
    test: 'not_namespaces',
    rule: '{from: [{source: {notNamespaces: ["namespace"]}}]}',
    expect: { plaintext: true, tls: false, tlsAlt: true },
  },
  {
    test: 'service_accounts',
    rule: '{from: [{source: {serviceAccounts: ["namespace/account"]}}]}',
    expect: { plaintext: false, tls: true, tlsAlt: false },
  },
  {
    test: 'not_service_accounts',
    rule: '{from: [{source: {notServiceAccounts: ["namespace/account"]}}]}',
    expect: { plaintext: true, tls: false, tlsAlt: true },
  },
  {
    test: 'principals',
    rule: `{from: [{source: {principals: [${ACCOUNT}]}}]}`,
    expect: { plaintext: false, tls: true, tlsAlt: false },
  },
  {
    test: 'not_principals',
    rule: `{from: [{source: {notPrincipals: [${ACCOUNT}]}}]}`,
    expect: { plaintext: true, tls: false, tlsAlt: true },
  },
  {
    test: 'source_ips',
    rule: `{from: [{source: {ipBlocks: [${SRC_IPS}]}}]}`,
    expect: { plaintext: true, tls: true, tlsAlt: false },
  },
  {
    test: 'not_source_ips',
    rule: `{from: [{source: {notIpBlocks: [${SRC_IPS}]}}]}`,
    expect: { plaintext: false, tls: false, tlsAlt: true },
  },
  {
    test: 'destination_ips',
    rule: '{when: [{key: destination.ip, values: ["10.2.0.2/32"]}]}',
    expect: { plaintext: true, tls: true, tlsAlt: false },
  },
  {
    test: 'not_destination_ips',
    rule: '{when: [{key: destination.ip, notValues: ["10.2.0.2/32"]}]}',
    expect: { plaintext: false, tls: false, tlsAlt: true },
  },
  {
    test: 'cidr_range',
    rule: '{when: [{key: destination.ip, values: ["10.2.0.1/24"]}]}',
    expect: { plaintext: true, tls: true, tlsAlt: true },
  },
  {
    test: 'destination_ports',
    rule: '{to: [{operation: {ports: ["8080"]}}]}',
    expect: { plaintext: true, tls: true, tlsAlt: false },
  },
  {
    test: 'not_destination_ports',
    rule: '{to: [{operation: {notPorts: ["8080"]}}]}',
    expect: { plaintext: false, tls: false, tlsAlt: true },
  },
];

const CONNS: readonly Conn[] = ['plaintext', 'tls', 'tlsAlt'];

describe(`${ZTUNNEL} src/rbac.rs rbac_test! rows: one RbacMatch in a Global ALLOW policy`, () => {
  it.each(MATCH_ROWS.flatMap((r) => CONNS.map((c) => ({ ...r, conn: c, want: r.expect[c] }))))(
    'src/rbac.rs $test, $conn => $want',
    ({ rule, conn, want }) => {
      expect(verdictOf(globalAllow(`rules: [${rule}]`), CONN[conn])).toBe(want ? 'allowed' : 'denied');
    },
  );
});

describe(`${ZTUNNEL} src/rbac.rs rbac_empty_policy, rbac_nesting, rbac_multi_rule`, () => {
  // vec![vec![vec![]]] (a rule whose one clause has no match) and vec![vec![]] (a rule with no
  // clause) match everything; vec![] (no rule) matches nothing: an ALLOW policy with no rules.
  it('rbac_empty_policy: a rule with no clause matches a plaintext connection', () => {
    expect(verdictOf(globalAllow('rules: [{}]'), CONN.plaintext)).toBe('allowed');
  });
  it('rbac_empty_policy: a policy with no rules matches nothing (ALLOW: denied)', () => {
    expect(verdictOf(globalAllow('rules: []'), CONN.plaintext)).toBe('denied');
  });

  // from: [namespaces a | namespaces b] and to: ports [80]
  const nesting = globalAllow(
    'rules: [{from: [{source: {namespaces: ["a"]}}, {source: {namespaces: ["b"]}}], to: [{operation: {ports: ["80"]}}]}]',
  );
  const multi = globalAllow(
    'rules: [{from: [{source: {namespaces: ["a"]}}]}, {from: [{source: {namespaces: ["b"]}}]}]',
  );
  const world =
    namespace('a') +
    namespace('b') +
    namespace('bad') +
    pod('a', 'c', 'account', '10.3.0.1', 1234) +
    pod('b', 'c', 'account', '10.3.0.2', 1234) +
    pod('bad', 'c', 'account', '10.3.0.3', 1234) +
    pod('dst', 'web', 'web', '10.2.0.8', 80) +
    pod('dst', 'high', 'high', '10.2.0.9', 12345);
  const rows = [
    { test: 'rbac_nesting', policy: nesting, src: 'a/c', dst: 'dst/web', port: 80, want: 'allowed' },
    { test: 'rbac_nesting', policy: nesting, src: 'b/c', dst: 'dst/web', port: 80, want: 'allowed' },
    { test: 'rbac_nesting (wrong namespace)', policy: nesting, src: 'bad/c', dst: 'dst/web', port: 80, want: 'denied' },
    { test: 'rbac_nesting (wrong port)', policy: nesting, src: 'b/c', dst: 'dst/high', port: 12345, want: 'denied' },
    { test: 'rbac_multi_rule', policy: multi, src: 'a/c', dst: 'dst/web', port: 80, want: 'allowed' },
    { test: 'rbac_multi_rule', policy: multi, src: 'b/c', dst: 'dst/web', port: 80, want: 'allowed' },
    {
      test: 'rbac_multi_rule (wrong namespace)',
      policy: multi,
      src: 'bad/c',
      dst: 'dst/web',
      port: 80,
      want: 'denied',
    },
  ];
  it.each(rows)('src/rbac.rs $test: $src -> $dst:$port => $want', ({ policy, src, dst, port, want }) => {
    expect(verdictOf(world + policy, { src, dst, port })).toBe(want);
  });
});

/**
 * src/state.rs assert_rbac_logic_deny_allow and assert_rbac_dry_run_with_real_policies:
 * workloads ns1/test and ns2/test (sa defaultacct), clients in `default` with the named
 * account, port 8080; Namespace-scoped policies in ns1.
 */
describe(`${ZTUNNEL} src/state.rs assert_rbac: DENY before ALLOW, default allow, dry-run`, () => {
  const dryRun = (action: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: wildcard-${action.toLowerCase()}, namespace: ns1, annotations: {istio.io/dry-run: "true"}}
spec: {action: ${action}, rules: [{}]}
`;
  const byPrincipal = (name: string, action: string, accounts: string[]) =>
    authz(
      'ns1',
      name,
      `{action: ${action}, rules: [${accounts.map((a) => `{from: [{source: {principals: ["cluster.local/ns/default/sa/${a}"]}}]}`).join(', ')}]}`,
    );
  const world =
    namespace('ns1') +
    namespace('ns2') +
    namespace('default') +
    pod('ns1', 'test', 'defaultacct', '192.168.0.1', 8080) +
    pod('ns2', 'test', 'defaultacct', '192.168.0.2', 8080) +
    ['defaultacct', 'not-defaultacct', 'denyacct']
      .map((sa, i) => pod('default', sa, sa, `192.168.1.${i + 1}`, 1234))
      .join('');
  const denyAllow =
    world +
    dryRun('ALLOW') +
    dryRun('DENY') +
    byPrincipal('foo', 'ALLOW', ['defaultacct']) +
    byPrincipal('deny', 'DENY', ['denyacct']);
  const ask = (yaml: string, src: string, dst: string) =>
    explainOk(snapshotFromYaml(yaml), { src: `default/${src}`, dst: `${dst}/test`, port: 8080, http: null });

  it('3. no ALLOW policy for the workload (ns2): allowed', () => {
    expect(ask(denyAllow, 'not-defaultacct', 'ns2').verdict).toBe('allowed');
  });
  it('4. an ALLOW policy matches (defaultacct): allowed', () => {
    expect(ask(denyAllow, 'defaultacct', 'ns1').verdict).toBe('allowed');
  });
  // NotAllowed names no policy: no rule decided (rule null, as DESIGN's decidedBy says for a default)
  it('5. ALLOW policies exist and none matches (not-defaultacct): NotAllowed', () => {
    const e = ask(denyAllow, 'not-defaultacct', 'ns1');
    expect([e.verdict, e.decidedBy?.layer, e.decidedBy?.enforcer, e.decidedBy?.policy?.rule ?? null]).toEqual([
      'denied',
      'authz-allow',
      'ztunnel',
      null,
    ]);
  });
  it('2. a DENY policy matches (denyacct): ExplicitlyDenied(ns1, deny)', () => {
    const e = ask(denyAllow, 'denyacct', 'ns1');
    expect([
      e.verdict,
      e.decidedBy?.layer,
      e.decidedBy?.enforcer,
      e.decidedBy?.policy?.namespace,
      e.decidedBy?.policy?.name,
    ]).toEqual(['denied', 'authz-deny', 'ztunnel', 'ns1', 'deny']);
  });
  it('assert_rbac_with_dest_workload_info: no policy at all: allowed', () => {
    expect(ask(world, 'defaultacct', 'ns1').verdict).toBe('allowed');
  });
  it('assert_rbac_dry_run_with_real_policies: a dry-run DENY matching defaultacct does not deny', () => {
    const dryDeny = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: dry-run-deny, namespace: ns1, annotations: {istio.io/dry-run: "true"}}
spec: {action: DENY, rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/defaultacct"]}}]}, {from: [{source: {principals: ["cluster.local/ns/default/sa/denyacct"]}}]}]}
`;
    const yaml =
      world +
      byPrincipal('real-deny', 'DENY', ['denyacct']) +
      dryDeny +
      byPrincipal('real-allow', 'ALLOW', ['defaultacct']);
    expect(ask(yaml, 'defaultacct', 'ns1').verdict).toBe('allowed');
  });
});

/**
 * tests/namespaced.rs test_policy: a Namespace-scoped ALLOW in `default` for the waypoint's
 * principal only; a client that is not the waypoint is rejected ("allow policies exist, but none
 * allowed"). The test writes the principal with a `spiffe://` prefix in hand-built xDS; istiod
 * sends it without (AuthorizationPolicy principals have no prefix), as written here. The second row
 * sends the same client through a waypoint named `waypoint`, whose identity
 * (cluster.local/ns/default/sa/waypoint) is the one ztunnel sees (https://istio.io/latest/docs/ambient/usage/l4-policy/).
 */
describe(`${ZTUNNEL} tests/namespaced.rs test_policy`, () => {
  const onlyWaypoint = authz(
    'default',
    'deny_bypass',
    '{action: ALLOW, rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/waypoint"]}}]}]}',
  );
  const base =
    namespace('default') + deploy('default', 'client', { sa: 'default' }) + deploy('default', 'server') + onlyWaypoint;
  const ask = (yaml: string) =>
    explainOk(snapshotFromYaml(yaml), { src: 'default/client', dst: 'default/server', port: 80, http: null });

  it('a client that is not the waypoint: denied at the destination ztunnel, no rule matched', () => {
    const e = ask(base + service('default', 'server'));
    expect([e.verdict, e.decidedBy?.layer, e.decidedBy?.enforcer, e.decidedBy?.policy?.rule ?? null]).toEqual([
      'denied',
      'authz-allow',
      'ztunnel',
      null,
    ]);
  });
  it('the same client through the waypoint: ztunnel sees the waypoint identity and allows', () => {
    const e = ask(base + waypoint('default') + service('default', 'server', 'istio.io/use-waypoint: waypoint'));
    expect([e.verdict, e.decidedBy?.enforcer, e.decidedBy?.policy?.name]).toEqual([
      'allowed',
      'ztunnel',
      'deny_bypass',
    ]);
  });
});
