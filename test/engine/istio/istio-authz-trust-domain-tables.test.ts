/**
 * Trust domain aliases, from istio/istio's builder goldens (pilot/pkg/security/authz/builder/
 * builder_test.go cases "trust-domain-one-alias", "trust-domain-wildcard-in-principal",
 * "trust-domain-aliases-in-source-principal" with testdata/http/*-in.yaml and *-out.yaml, commit
 * ISTIO_COMMIT) and the rewrite they exercise (istio/istio:pilot/pkg/security/trustdomain/bundle.go
 * ReplaceTrustDomainAliases): a principal whose trust domain is `cluster.local`, or matches the
 * trust domain or an alias (wildcards included), is expanded to the trust domain and every alias;
 * any other principal is kept as written. The client's identity always carries the mesh's trust
 * domain (meshConfig.trustDomain).
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { ISTIO_COMMIT, policy } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:pilot/pkg/security/authz/builder/builder_test.go`;

function mesh(trustDomain: string, aliases: readonly string[]): string {
  return `---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    trustDomain: ${trustDomain}
    trustDomainAliases: [${aliases.join(', ')}]
`;
}

const WORLD = `---
apiVersion: v1
kind: Namespace
metadata: {name: foo, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  template:
    metadata: {labels: {app: httpbin, version: v1}}
    spec: {serviceAccountName: httpbin, containers: [{name: app, ports: [{containerPort: 8000}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: p1, namespace: foo}
spec:
  selector: {matchLabels: {app: p1}}
  template:
    metadata: {labels: {app: p1}}
    spec: {serviceAccountName: p1, containers: [{name: app}]}
`;

const allow = (rule: string) =>
  policy(
    'foo',
    'AuthorizationPolicy',
    'httpbin',
    `{selector: {matchLabels: {app: httpbin, version: v1}}, rules: [${rule}]}`,
  );

/** [builder case, trustDomain, aliases, rule, expected for foo/p1] */
const ROWS: readonly (readonly [string, string, readonly string[], string, boolean])[] = [
  // simple-policy-td-aliases: cluster.local principals become td1 and cluster.local
  [
    'trust-domain-one-alias',
    'td1',
    ['cluster.local'],
    '{from: [{source: {principals: ["cluster.local/ns/foo/sa/p1"]}}]}',
    true,
  ],
  [
    'trust-domain-one-alias (no alias: cluster.local still means the local domain)',
    'td1',
    [],
    '{from: [{source: {principals: ["cluster.local/ns/foo/sa/p1"]}}]}',
    true,
  ],
  // simple-policy-principal-with-wildcard: *bar matches the alias foobar, so td1 is added
  [
    'trust-domain-wildcard-in-principal',
    'td1',
    ['foobar'],
    '{from: [{source: {principals: ["*bar/ns/foo/sa/p1"]}}]}',
    true,
  ],
  [
    'trust-domain-wildcard-in-principal (no alias: *bar kept as written)',
    'td1',
    [],
    '{from: [{source: {principals: ["*bar/ns/foo/sa/p1"]}}]}',
    false,
  ],
  [
    'trust-domain-wildcard-in-principal (* trust domain is not enforced)',
    'td1',
    [],
    '{from: [{source: {principals: ["*/ns/foo/sa/p1"]}}]}',
    true,
  ],
  // td-aliases-source-principal: when source.principal goes through the same rewrite
  [
    'trust-domain-aliases-in-source-principal',
    'new-td',
    ['old-td', 'some-trustdomain'],
    '{from: [{source: {namespaces: ["foo"]}}], when: [{key: source.principal, values: ["old-td/ns/foo/sa/p1"]}]}',
    true,
  ],
  [
    'trust-domain-aliases-in-source-principal (old-td not an alias: kept as written)',
    'new-td',
    [],
    '{from: [{source: {namespaces: ["foo"]}}], when: [{key: source.principal, values: ["old-td/ns/foo/sa/p1"]}]}',
    false,
  ],
  [
    'trust-domain-aliases-in-source-principal (*-td)',
    'new-td',
    ['old-td'],
    '{from: [{source: {principals: ["*-td/ns/foo/sa/p1"]}}]}',
    true,
  ],
];

describe(SRC, () => {
  it.each(ROWS)('%s: trustDomain %s aliases %j, rule %s => %s', (_name, td, aliases, rule, want) => {
    const yaml = WORLD + mesh(td, aliases) + allow(rule);
    const e = explainOk(snapshotFromYaml(yaml), { src: 'foo/p1', dst: 'foo/httpbin', port: 8000, http: null });
    expect(e.verdict).toBe(want ? 'allowed' : 'denied');
  });
});
