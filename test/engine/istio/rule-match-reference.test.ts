/**
 * The rule matcher's per-rule plans and principal memos change no result and no clause: over
 * seeded random rules (random-authz.ts) and random request attributes, evaluateRule equals the
 * matcher as it was without them (rule-match-reference.ts), with rules asked in random order,
 * again and again, so a plan or memo answered for the wrong rule or principal shows.
 */
import { describe, expect, it } from 'vitest';
import type { AuthzAttributes } from '../../../src/engine/istio/attributes.js';
import { evaluateRule } from '../../../src/engine/istio/rule-match.js';
import { convertIstio } from '../../../src/model/convert/istio.js';
import type { AuthzAction } from '../../../src/model/istio.js';
import { seededRandom, type Random } from '../../../src/util/random.js';
import { authorizationPolicies, NAMESPACES } from './random-authz.js';
import { referenceEvaluateRule } from './rule-match-reference.js';

const APPS = ['web', 'api', 'db', 'auth'];

function attributes(rnd: Random): AuthzAttributes {
  const http = rnd.next() < 0.7;
  const trustDomains = rnd.pick([['cluster.local'], ['corp.example'], ['corp.example', 'cluster.local'], ['td1']]);
  const principal =
    rnd.next() < 0.15
      ? null
      : `${rnd.pick([...trustDomains, 'other.domain'])}/ns/ns-${rnd.int(NAMESPACES)}/sa/${rnd.pick(APPS)}-sa`;
  const ip = rnd.pick(['10.0.0.7', '10.1.2.3', '192.168.0.1', null]);
  return {
    http,
    principal,
    sourceIp: ip,
    remoteIp: ip,
    requestPrincipal: rnd.next() < 0.3 ? 'https://issuer/sub' : null,
    claims: rnd.next() < 0.3 ? { iss: 'https://issuer', sub: 'sub' } : null,
    method: http ? rnd.pick(['GET', 'POST']) : null,
    path: http ? rnd.pick(['/api/orders', '/admin/x', '/api/x?y=1']) : null,
    host: http ? rnd.pick(['api-svc.ns-1.svc.cluster.local', 'web:8080', null]) : null,
    headers: http ? rnd.pick<Record<string, string>>([{}, { 'x-team': 'a' }, { 'x-team': 'c' }]) : {},
    port: rnd.pick([8080, 9090, 80]),
    destinationIp: '10.0.0.9',
    sni: null,
    trustDomains,
  };
}

describe('evaluateRule equals the matcher without plans and memos', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const rnd = seededRandom(seed);
    const policies = convertIstio(authorizationPolicies(seed, 40), { defaultNamespace: 'default' }).istio
      .authorizationPolicies;
    const rules = policies.flatMap((p) => p.rules.map((rule) => ({ rule, ns: p.namespace })));
    expect(rules.length).toBeGreaterThan(20);
    const mismatches: string[] = [];
    let matched = 0;
    for (let i = 0; i < 1500; i++) {
      const { rule, ns } = rnd.pick(rules);
      const a = attributes(rnd);
      const ctx = { action: rnd.pick<AuthzAction>(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']), policyNamespace: ns };
      const got = evaluateRule(rule, a, ctx);
      const want = referenceEvaluateRule(rule, a, ctx);
      if (got.result === 'match') matched++;
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(
          `${JSON.stringify({ rule, a, ctx })}\n  got ${JSON.stringify(got)}\n want ${JSON.stringify(want)}`,
        );
    }
    expect(matched).toBeGreaterThan(50);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
