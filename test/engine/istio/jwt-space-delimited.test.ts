/**
 * RequestAuthentication `spaceDelimitedClaims` (Istio >= 1.28): the listed claims, plus `scope` and
 * `permission` which istiod always adds (istio/istio:pilot/pkg/security/authn/policy_applier.go,
 * buildSpaceDelimitedClaims and its doc examples), are split on spaces by Envoy's jwt_authn before the
 * RBAC filter matches `request.auth.claims[...]` (envoyproxy/envoy:source/extensions/filters/http/jwt_authn/
 * authenticator.cc, setPayloadMetadata). Each jwtRule is its own provider: the list of the rule that
 * accepted the token applies.
 */
import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { payloadInMetadata, spaceDelimitedClaims } from '../../../src/engine/istio/jwt-payload.js';
import { flow, pod, reachAll, snapshotOf } from './helpers.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2lnbmF0dXJl`;

const ra = (rules: string) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules:
${rules}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: admins, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  rules:
  - when: [{key: "request.auth.claims[roles]", values: ["admin"]}]
`;
const httpbin = pod('web', 'httpbin');
const client = pod('web', 'sleep');
const istiod = pod('istio-system', 'istiod', { labels: { app: 'istiod', istio: 'pilot' }, sidecar: false });
const allowVerdict = (rules: string, claims: Record<string, unknown>) =>
  evaluateIstioLayers(
    snapshotOf({ pods: [httpbin, client, istiod], istio: ra(rules) }),
    flow(client, httpbin, { method: 'GET', path: '/', jwt: { token: token(claims) } }),
    reachAll,
  ).steps.find((s) => s.layer === 'authz-allow')?.verdict;

describe('RequestAuthentication spaceDelimitedClaims', () => {
  const WITH = '  - {issuer: a.example, jwks: "{}", spaceDelimitedClaims: [roles]}';
  const WITHOUT = '  - {issuer: a.example, jwks: "{}"}';
  const roles = { iss: 'a.example', sub: 'u', roles: 'user admin' };

  it('a listed claim is split on spaces before authorization', () => {
    expect(allowVerdict(WITH, roles)).toBe('allowed');
  });
  it('without the list only scope and permission are split', () => {
    expect(allowVerdict(WITHOUT, roles)).toBe('denied');
    expect(allowVerdict(WITHOUT, { ...roles, roles: 'admin' })).toBe('allowed');
  });
  it('the list of the rule that accepted the token applies, not another issuer’s', () => {
    const two = `${WITHOUT}\n  - {issuer: b.example, jwks: "{}", spaceDelimitedClaims: [roles]}`;
    expect(allowVerdict(two, roles)).toBe('denied');
    expect(allowVerdict(two, { ...roles, iss: 'b.example' })).toBe('allowed');
  });

  it('istiod always adds scope and permission, deduplicated and sorted (buildSpaceDelimitedClaims examples)', () => {
    expect(spaceDelimitedClaims(null)).toEqual(['permission', 'scope']);
    expect(spaceDelimitedClaims({ spaceDelimitedClaims: ['customClaim1', 'customClaim2'] })).toEqual([
      'customClaim1',
      'customClaim2',
      'permission',
      'scope',
    ]);
    expect(spaceDelimitedClaims({ spaceDelimitedClaims: ['scope'] })).toEqual(['permission', 'scope']);
  });

  it('splits only top-level string claims, dropping empty words (absl::SkipEmpty)', () => {
    const out = payloadInMetadata({ scope: ' a  b ', nested: { scope: 'x y' }, permission: ['p q'], n: 1 }, [
      'n',
      'nested',
      'permission',
      'scope',
    ]);
    expect(out).toEqual({ scope: ['a', 'b'], nested: { scope: 'x y' }, permission: ['p q'], n: 1 });
  });
});
