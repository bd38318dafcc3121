import { describe, expect, it } from 'vitest';
import { payloadInMetadata, spaceDelimitedClaims } from '../../../src/engine/istio/jwt-payload.js';
import type { AuthzRule } from '../../../src/model/istio.js';
import type { AuthzAttributes } from '../../../src/engine/istio/attributes.js';
import { evaluateRule } from '../../../src/engine/istio/rule-match.js';
import { convertIstio } from '../../../src/model/convert/istio.js';
import { rawObjects } from './helpers.js';

const base: AuthzAttributes = {
  http: true,
  principal: 'cluster.local/ns/poc-mesh/sa/frontend-sa',
  sourceIp: '10.0.0.5',
  remoteIp: '10.0.0.5',
  requestPrincipal: null,
  claims: null,
  method: 'GET',
  path: '/api/orders',
  host: 'backend.poc-mesh.svc.cluster.local',
  headers: { 'x-env': 'prod' },
  port: 8080,
  destinationIp: '10.0.0.9',
  sni: null,
  trustDomains: ['cluster.local'],
};

function rules(yamlRules: string): AuthzRule[] {
  const text = `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: foo}\nspec:\n  rules:\n${yamlRules}`;
  return [
    ...(convertIstio(rawObjects(text), { defaultNamespace: 'default' }).istio.authorizationPolicies[0]?.rules ?? []),
  ];
}

function one(yamlRule: string): AuthzRule {
  const r = rules(yamlRule)[0];
  if (!r) throw new Error('no rule');
  return r;
}

const allow = { action: 'ALLOW' as const, policyNamespace: 'foo' };
const deny = { action: 'DENY' as const, policyNamespace: 'foo' };

describe('rule matching', () => {
  it('an empty rule always matches (istio/api: "An empty rule is always matched")', () => {
    expect(evaluateRule(one('  - {}'), base, allow).result).toBe('match');
  });

  it('needs one source AND one operation AND every condition', () => {
    const rule = one(`  - from: [{source: {principals: ["cluster.local/ns/poc-mesh/sa/frontend-sa"]}}]
    to: [{operation: {methods: ["GET"], paths: ["/api/orders", "/health"]}}]
    when: [{key: "request.headers[X-Env]", values: ["prod"]}]`);
    expect(evaluateRule(rule, base, allow).result).toBe('match');
    const post = evaluateRule(rule, { ...base, method: 'POST' }, allow);
    expect(post.result).toBe('miss');
    expect(post.clauses.find((c) => !c.ok)).toEqual({
      field: 'to[0].operation.methods',
      ok: false,
      expected: ['GET'],
      actual: 'POST',
    });
    expect(evaluateRule(rule, { ...base, headers: { 'x-env': 'dev' } }, allow).result).toBe('miss');
  });

  it('ORs the from entries and reports the closest one', () => {
    const rule = one(`  - from:
      - source: {principals: ["cluster.local/ns/other/sa/x"], namespaces: ["other"]}
      - source: {namespaces: ["poc-mesh"], notPrincipals: ["cluster.local/ns/poc-mesh/sa/frontend-sa"]}`);
    const r = evaluateRule(rule, base, allow);
    expect(r.result).toBe('miss');
    expect(r.clauses.map((c) => c.field)).toEqual(['from[1].source.notPrincipals', 'from[1].source.namespaces']);
  });

  it('principals written with cluster.local match the trust domain and its aliases', () => {
    const rule = one('  - from: [{source: {principals: ["cluster.local/ns/poc-mesh/sa/frontend-sa"]}}]');
    const custom = {
      ...base,
      principal: 'corp.example/ns/poc-mesh/sa/frontend-sa',
      trustDomains: ['corp.example', 'old.example'],
    };
    expect(evaluateRule(rule, custom, allow).result).toBe('match');
    const alias = one('  - from: [{source: {principals: ["old.example/ns/poc-mesh/sa/frontend-sa"]}}]');
    expect(evaluateRule(alias, custom, allow).result).toBe('match');
    const foreign = one('  - from: [{source: {principals: ["other.example/ns/poc-mesh/sa/frontend-sa"]}}]');
    expect(evaluateRule(foreign, custom, allow).result).toBe('miss');
  });

  it('without mTLS principals and namespaces never match, and notPrincipals ["*"] does', () => {
    const plain = { ...base, principal: null };
    expect(evaluateRule(one('  - from: [{source: {principals: ["*"]}}]'), plain, allow).result).toBe('miss');
    expect(evaluateRule(one('  - from: [{source: {namespaces: ["poc-mesh"]}}]'), plain, allow).result).toBe('miss');
    expect(evaluateRule(one('  - from: [{source: {notPrincipals: ["*"]}}]'), plain, deny).result).toBe('match');
  });

  it('serviceAccounts accept ns/sa, and a bare name means the policy namespace', () => {
    expect(
      evaluateRule(one('  - from: [{source: {serviceAccounts: ["poc-mesh/frontend-sa"]}}]'), base, allow).result,
    ).toBe('match');
    const inFoo = { ...base, principal: 'cluster.local/ns/foo/sa/frontend-sa' };
    expect(evaluateRule(one('  - from: [{source: {serviceAccounts: ["frontend-sa"]}}]'), inFoo, allow).result).toBe(
      'match',
    );
    expect(evaluateRule(one('  - from: [{source: {serviceAccounts: ["frontend-sa"]}}]'), base, allow).result).toBe(
      'miss',
    );
  });

  it('ports are the workload (container) port, written as strings or numbers', () => {
    expect(evaluateRule(one('  - to: [{operation: {ports: [8080]}}]'), base, allow).result).toBe('match');
    expect(evaluateRule(one('  - to: [{operation: {ports: ["80"]}}]'), base, allow).result).toBe('miss');
    expect(evaluateRule(one('  - to: [{operation: {notPorts: ["8080"]}}]'), base, allow).result).toBe('miss');
  });

  it('ipBlocks use the source IP; an unknown IP makes the rule undecidable', () => {
    expect(evaluateRule(one('  - from: [{source: {ipBlocks: ["10.0.0.0/24"]}}]'), base, allow).result).toBe('match');
    expect(
      evaluateRule(one('  - from: [{source: {ipBlocks: ["10.0.0.0/24"]}}]'), { ...base, sourceIp: null }, allow).result,
    ).toBe('unknown');
  });

  it('request principals and claims come from the validated JWT', () => {
    const jwt = {
      ...base,
      requestPrincipal: 'testing@secure.istio.io/testing@secure.istio.io',
      claims: {
        iss: 'testing@secure.istio.io',
        sub: 'testing@secure.istio.io',
        groups: ['group1', 'group2'],
        nested: { key: 'v' },
      },
    };
    expect(
      evaluateRule(one('  - from: [{source: {requestPrincipals: ["testing@secure.istio.io/*"]}}]'), jwt, allow).result,
    ).toBe('match');
    expect(
      evaluateRule(one('  - when: [{key: "request.auth.claims[groups]", values: ["group1"]}]'), jwt, allow).result,
    ).toBe('match');
    expect(
      evaluateRule(one('  - when: [{key: "request.auth.claims[nested][key]", values: ["v"]}]'), jwt, allow).result,
    ).toBe('match');
    expect(evaluateRule(one('  - from: [{source: {requestPrincipals: ["*"]}}]'), base, allow).result).toBe('miss');
  });

  it('scope and permission are split on spaces; other string claims are not (Envoy jwt_authn space_delimited_claims, which istiod sets to scope and permission)', () => {
    const claims = { iss: 'iss', sub: 'sub', scope: 'read:orders write:orders', permission: 'a b', name: 'x y' };
    const jwt = { ...base, requestPrincipal: 'iss/sub', claims: payloadInMetadata(claims, spaceDelimitedClaims(null)) };
    const when = (key: string, value: string) =>
      evaluateRule(one(`  - when: [{key: "request.auth.claims[${key}]", values: ["${value}"]}]`), jwt, allow).result;
    expect(when('scope', 'write:orders')).toBe('match');
    expect(when('scope', 'read:orders write:orders')).toBe('miss');
    expect(when('permission', 'b')).toBe('match');
    expect(when('name', 'y')).toBe('miss');
    expect(when('name', 'x y')).toBe('match');
  });

  it('an unknown when key makes istiod skip the rule (model.go "unknown attribute")', () => {
    const r = evaluateRule(one('  - when: [{key: "request.header[x]", values: ["a"]}]'), base, deny);
    expect(r.result).toBe('miss');
    expect(r.dropped).toMatch(/unknown when key/);
  });
});

describe('HTTP-only fields on TCP chains (builder goldens tcp/*)', () => {
  const tcp = { ...base, http: false, method: null, path: null, host: null, headers: {} };

  it('ALLOW: a rule with any HTTP-only field is dropped (tcp/allow-only-http: rules: {})', () => {
    const rs = rules(`  - from: [{source: {requestPrincipals: ["id-1"]}}]
    to: [{operation: {methods: ["GET"]}}]
  - from: [{source: {namespaces: ["ns-1"]}}]
    to: [{operation: {hosts: ["example.com"]}}]`);
    const results = rs.map((r) => evaluateRule(r, { ...tcp, principal: 'cluster.local/ns/ns-1/sa/a' }, allow));
    expect(results.map((r) => r.result)).toEqual(['miss', 'miss']);
    expect(results[1]?.dropped).toMatch(/to\[0\]\.hosts/);
  });

  it('DENY: HTTP-only fields are ignored, widening the rule (tcp/deny-both-http-tcp rules 0-2 become any)', () => {
    const rs = rules(`  - from: [{source: {requestPrincipals: ["id-1"]}}]
    to: [{operation: {methods: ["GET"]}}]
  - to: [{operation: {methods: ["GET"]}}]
  - from: [{source: {requestPrincipals: ["id-1"]}}]
  - from: [{source: {namespaces: ["ns-1"]}}]
    to: [{operation: {methods: ["GET"]}}]
  - when: [{key: "request.headers[:method]", values: ["GET"]}]`);
    const results = rs.map((r) => evaluateRule(r, tcp, deny).result);
    // rule 3 keeps its TCP field (namespaces ns-1), and the peer is in poc-mesh
    expect(results).toEqual(['match', 'match', 'match', 'miss', 'match']);
  });

  it('DENY methods+ports on TCP denies all TCP on that port (istio/api example)', () => {
    const r = one('  - to: [{operation: {methods: ["POST"], ports: ["8080"]}}]');
    expect(evaluateRule(r, tcp, deny).result).toBe('match');
    expect(evaluateRule(r, { ...tcp, port: 9000 }, deny).result).toBe('miss');
  });
});

describe('empty lists (istio/istio model.go: insertFront/appendLast skip a field with no values)', () => {
  it('principals: [] is the same as no principals field', () => {
    expect(
      evaluateRule(one('  - from: [{source: {principals: []}}]'), { ...base, principal: null }, allow).result,
    ).toBe('match');
  });

  it('a when condition with empty values and notValues adds nothing, and is no HTTP field on TCP', () => {
    const r = one('  - when: [{key: "request.headers[x]", values: []}]');
    expect(evaluateRule(r, base, allow).result).toBe('match');
    expect(evaluateRule(r, { ...base, http: false }, allow).result).toBe('match');
  });
});

describe('trust domain aliases (builder golden simple-policy-td-aliases: cluster.local/... renders for td1 and cluster.local)', () => {
  const td1 = { ...base, principal: 'td1/ns/rule[0]/sa/from[0]-principal[0]', trustDomains: ['td1', 'cluster.local'] };
  it('a principal written with cluster.local matches the td1 identity, in principals and in when source.principal', () => {
    expect(
      evaluateRule(
        one('  - from: [{source: {principals: ["cluster.local/ns/rule[0]/sa/from[0]-principal[0]"]}}]'),
        td1,
        allow,
      ).result,
    ).toBe('match');
    expect(
      evaluateRule(
        one('  - when: [{key: source.principal, values: ["cluster.local/ns/rule[0]/sa/from[0]-principal[0]"]}]'),
        td1,
        allow,
      ).result,
    ).toBe('match');
  });

  it('trustDomains match the principal trust domain with prefix globs (golden trust-domains)', () => {
    expect(evaluateRule(one('  - from: [{source: {trustDomains: ["td*"]}}]'), td1, allow).result).toBe('match');
    expect(evaluateRule(one('  - from: [{source: {notTrustDomains: ["bad*", "td1"]}}]'), td1, allow).result).toBe(
      'miss',
    );
  });
});
