import { describe, expect, it } from 'vitest';
import { evaluateL4Rule, l4Rules, type ZtunnelConnection } from '../../../src/engine/ambient/ztunnel-authz.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import type { AuthorizationPolicy } from '../../../src/model/istio.js';
import { authz } from './world.js';

function policy(action: string, rules: string): AuthorizationPolicy {
  const s = snapshotFromYaml(
    authz('shop', 'p', `{selector: {matchLabels: {app: server}}, action: ${action}, rules: ${rules}}`),
  );
  const p = s.istio.authorizationPolicies[0];
  if (!p) throw new Error('no policy');
  return p;
}

const fromClient: ZtunnelConnection = {
  identity: { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'client' },
  sourceIp: '10.0.0.5',
  destinationIp: '10.0.0.9',
  port: 8080,
};
const plaintext: ZtunnelConnection = { ...fromClient, identity: null };

function matches(p: AuthorizationPolicy, c: ZtunnelConnection = fromClient): boolean[] {
  return l4Rules(p).map((r) => evaluateL4Rule(p, r, c).matched);
}

// istio/istio pilot/pkg/serviceregistry/ambient/authorization.go handleRule + istio/ztunnel src/rbac.rs
describe('ztunnel L4 authorization', () => {
  it('an ALLOW rule with an L7 field is dropped: it never matches', () => {
    const p = policy(
      'ALLOW',
      '[{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}], to: [{operation: {methods: ["GET"]}}]}]',
    );
    expect(matches(p)).toEqual([false]);
    expect(l4Rules(p)[0]?.l7).toEqual(['to.operation.methods']);
  });

  it('the same ALLOW rule without the L7 field matches the client identity', () => {
    expect(matches(policy('ALLOW', '[{from: [{source: {principals: ["cluster.local/ns/shop/sa/client"]}}]}]'))).toEqual(
      [true],
    );
  });

  it('a DENY rule keeps its L4 part: ports + methods denies the port', () => {
    expect(matches(policy('DENY', '[{to: [{operation: {ports: ["8080"], methods: ["DELETE"]}}]}]'))).toEqual([true]);
  });

  it('a DENY rule whose operation is L7 only never matches (an empty match is skipped)', () => {
    expect(
      matches(policy('DENY', '[{from: [{source: {namespaces: ["shop"]}}], to: [{operation: {paths: ["/admin"]}}]}]')),
    ).toEqual([false]);
  });

  it('a when condition on an L7 key makes the rule never match', () => {
    expect(matches(policy('DENY', '[{when: [{key: "request.headers[x-a]", values: ["1"]}]}]'))).toEqual([false]);
  });

  it('an L4 when key is kept (source.namespace)', () => {
    expect(matches(policy('DENY', '[{when: [{key: source.namespace, values: ["shop"]}]}]'))).toEqual([true]);
  });

  it('a rule with no clauses matches everything', () => {
    expect(matches(policy('ALLOW', '[{}]'), plaintext)).toEqual([true]);
  });

  it('notPrincipals ["*"] matches a connection without identity (how STRICT is enforced)', () => {
    const p = policy('DENY', '[{from: [{source: {notPrincipals: ["*"]}}]}]');
    expect([matches(p, plaintext), matches(p)]).toEqual([[true], [false]]);
  });

  it('serviceAccounts without a namespace mean the policy namespace', () => {
    expect(matches(policy('ALLOW', '[{from: [{source: {serviceAccounts: ["client"]}}]}]'))).toEqual([true]);
  });

  it('principal patterns: prefix, suffix and presence', () => {
    const p = policy(
      'ALLOW',
      '[{from: [{source: {principals: ["cluster.local/ns/shop/*"]}}]}, {from: [{source: {principals: ["*/sa/other"]}}]}]',
    );
    expect(matches(p)).toEqual([true, false]);
  });

  it('ipBlocks match the source address ztunnel sees', () => {
    expect(matches(policy('ALLOW', '[{from: [{source: {ipBlocks: ["10.0.0.0/24"]}}]}]'))).toEqual([true]);
    expect(matches(policy('ALLOW', '[{from: [{source: {notIpBlocks: ["10.0.0.5"]}}]}]'))).toEqual([false]);
  });
});
