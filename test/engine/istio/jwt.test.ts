import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { flow, npMention, pod, reachAll, reachUnless, snapshotOf } from './helpers.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2lnbmF0dXJl`;
const ISS = 'testing@secure.istio.io';

// seed 003, step 3.1: RequestAuthentication with a remote jwksUri + ALLOW on requestPrincipals
const RA = `
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: httpbin-jwt, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules:
  - issuer: "${ISS}"
    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.28/security/tools/jwt/samples/jwks.json"
    audiences: []
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-jwt-policy, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals: ["${ISS}/${ISS}"]
`;

const httpbin = pod('web', 'httpbin', { ip: '10.3.0.1' });
const gw = pod('istio-system', 'istio-ingressgateway', { labels: { istio: 'ingressgateway' } });
const istiod = pod('istio-system', 'istiod', { labels: { app: 'istiod', istio: 'pilot' }, sidecar: false });
const snap = snapshotOf({ pods: [httpbin, gw, istiod], istio: RA });
const good = token({ iss: ISS, sub: ISS, exp: 4685989700, groups: ['group1'] });
const ask = (o: Parameters<typeof flow>[2], reach = reachAll) =>
  evaluateIstioLayers(snap, flow(gw, httpbin, { port: 8080, method: 'GET', path: '/status/200', ...o }), reach);

describe('jwt step (RequestAuthentication)', () => {
  it('a valid token gives the request principal iss/sub and passes the ALLOW rule', () => {
    const r = ask({ jwt: { token: good }, now: '2026-01-27T13:54:20Z' });
    expect(r.steps[3]).toMatchObject({
      layer: 'jwt',
      verdict: 'allowed',
      policies: [{ ruleRef: 'RequestAuthentication:web/httpbin-jwt:jwtRules[0]' }],
    });
    expect(r.steps[5]?.verdict).toBe('allowed');
    expect(r.jwt).toEqual({ iss: ISS, sub: ISS, aud: null, exp: 4685989700, signature: 'not-verified' });
    expect(JSON.stringify(r)).not.toContain(good);
  });

  it('no token passes RequestAuthentication but the ALLOW on requestPrincipals answers 403 (erratum: not 401)', () => {
    const r = ask({});
    expect(r.steps[3]?.verdict).toBe('allowed');
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.expectedResponse).toMatchObject({ status: 403, body: 'RBAC: access denied' });
  });

  it.each([
    [
      'a malformed token',
      'deadbeef',
      401,
      'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
    ],
    ['an unknown issuer', token({ iss: 'other', sub: 'x' }), 401, 'Jwt issuer is not configured'],
    ['an expired token', token({ iss: ISS, sub: 'x', exp: 1000 }), 401, 'Jwt is expired'],
    ['a token not yet valid', token({ iss: ISS, sub: 'x', nbf: 4685989700 }), 401, 'Jwt not yet valid'],
  ])('%s -> %s %s', (_what, tok, status, body) => {
    const r = ask({ jwt: { token: tok }, now: '2026-01-27T13:54:20Z' });
    expect(r.steps[3]?.verdict).toBe('denied');
    expect(r.expectedResponse).toEqual({
      status,
      body,
      flags: null,
      details: `jwt_authn_access_denied{${body.replace(/ /g, '_')}}`,
    });
  });

  it('audience mismatch is 403 "Audiences in Jwt are not allowed"', () => {
    const s = snapshotOf({ pods: [httpbin, gw, istiod], istio: RA.replace('audiences: []', 'audiences: ["api"]') });
    const r = evaluateIstioLayers(
      s,
      flow(gw, httpbin, { method: 'GET', path: '/', jwt: { claims: { iss: ISS, sub: 'u', aud: ['web'] } } }),
      reachAll,
    );
    expect(r.expectedResponse).toMatchObject({ status: 403, body: 'Audiences in Jwt are not allowed' });
  });

  // google/jwt_verify_lib test/jwt_test.cc (TestParsePayloadExpNotInteger: "exp": "123456789", and
  // its siblings) and src/status.cc for the messages; Envoy answers 401 with the message as body
  it.each([
    [{ exp: '123456789' }, 'Jwt payload [exp] field is not an integer'],
    [{ exp: null }, 'Jwt payload [exp] field is not an integer'],
    [{ exp: -12345 }, 'Jwt payload [exp] field is not a positive 64 bit integer'],
    [{ nbf: 'soon' }, 'Jwt payload [nbf] field is not an integer'],
    [{ iat: true }, 'Jwt payload [iat] field is not an integer'],
    [{ iat: 2 ** 64 }, 'Jwt payload [iat] field is not a positive 64 bit integer'],
    [{ sub: 12345 }, 'Jwt payload [sub] field is not a string'],
    [{ jti: 1 }, 'Jwt payload [jti] field is not a string'],
    [{ aud: 1 }, 'Jwt payload [aud] field is not a string or string list'],
    [{ aud: ['a', 1] }, 'Jwt payload [aud] field is not a string or string list'],
  ])('a payload Envoy cannot parse (%j) is 401 with its parse error, whatever the clock', (claims, body) => {
    for (const now of [undefined, '2026-01-27T13:54:20Z']) {
      const r = ask({ jwt: { claims: { iss: ISS, sub: ISS, ...claims } }, now });
      expect(r.steps[3]?.verdict).toBe('denied');
      expect(r.expectedResponse).toMatchObject({ status: 401, body });
    }
  });

  it('an issuer that is not a string is a parse error, not an unknown issuer', () => {
    const r = ask({ jwt: { claims: { iss: 7, sub: ISS } } });
    expect(r.expectedResponse).toMatchObject({ status: 401, body: 'Jwt payload [iss] field is not a string' });
  });

  it('a fractional exp is a number Envoy truncates, not a parse error', () => {
    const r = ask({
      jwt: { claims: { iss: ISS, sub: ISS, exp: 4685989700.5, aud: 'x', jti: 'j' } },
      now: '2026-01-27T13:54:20Z',
    });
    expect(r.steps[3]?.verdict).toBe('allowed');
  });

  it('a CORS preflight is not subject to JWT checks (istiod sets bypass_cors_preflight on jwt_authn)', () => {
    const preflight = {
      method: 'OPTIONS',
      headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' },
    };
    const bad = ask({ ...preflight, jwt: { token: 'not-a-jwt' } });
    expect(bad.steps[3]?.layer).toBe('jwt');
    expect(bad.steps[3]?.verdict).toBe('allowed');
    expect(bad.steps[3]?.summary).toMatch(/CORS preflight/);
    // a plain OPTIONS (no Access-Control-Request-Method) is checked like any request
    const plain = ask({ method: 'OPTIONS', headers: { origin: 'https://a.example' }, jwt: { token: 'not-a-jwt' } });
    expect(plain.steps[3]?.verdict).toBe('denied');
    // envoy filter.cc isCorsPreflightRequest: the header values must be non-empty
    const empty = ask({
      method: 'OPTIONS',
      headers: { origin: '', 'access-control-request-method': 'POST' },
      jwt: { token: 'not-a-jwt' },
    });
    expect(empty.steps[3]?.verdict).toBe('denied');
  });

  it('two RequestAuthentications for one issuer: the token passes if either accepts it (requires_any)', () => {
    const two = `${RA}---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: a-mobile, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules: [{issuer: "${ISS}", jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.28/security/tools/jwt/samples/jwks.json", audiences: [mobile]}]
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: b-web, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules: [{issuer: "${ISS}", jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.28/security/tools/jwt/samples/jwks.json", audiences: [web]}]
`.replace(/audiences: \[\]\n/, 'audiences: [none]\n');
    const s = snapshotOf({ pods: [httpbin, gw, istiod], istio: two });
    const askTwo = (aud: string[]) =>
      evaluateIstioLayers(
        s,
        flow(gw, httpbin, { port: 8080, method: 'GET', path: '/', jwt: { token: token({ iss: ISS, sub: ISS, aud }) } }),
        reachAll,
      ).steps.find((x) => x.layer === 'jwt');
    expect(askTwo(['web'])?.verdict).toBe('allowed');
    expect(askTwo(['mobile'])?.verdict).toBe('allowed');
    expect(askTwo(['other'])?.verdict).toBe('denied');
  });

  it('without --now exp is not checked, and the summary says so', () => {
    const r = ask({ jwt: { token: token({ iss: ISS, sub: ISS, exp: 1000 }) } });
    expect(r.steps[3]?.verdict).toBe('allowed');
    expect(r.steps[3]?.summary).toMatch(/not checked/);
  });

  it('--resolve decides istiod egress to the jwksUri host: blocked -> every token gets 401 Jwt verification fails', () => {
    const blocked = reachUnless((from, to) =>
      from.type === 'pod' && from.pod.name === 'istiod' && to.type === 'ip'
        ? npMention('istio-system', 'default-deny', 'egress')
        : null,
    );
    const r = ask({ jwt: { token: good }, resolve: { 'raw.githubusercontent.com': ['185.199.108.133'] } }, blocked);
    expect(r.steps[3]?.verdict).toBe('denied');
    expect(r.expectedResponse).toMatchObject({ status: 401, body: 'Jwt verification fails' });
    const open = ask({ jwt: { token: good }, resolve: { 'raw.githubusercontent.com': ['185.199.108.133'] } });
    expect(open.steps[3]?.verdict).toBe('allowed');
  });

  it('without --resolve a restricted istiod egress is a jwks-unresolved condition, not a denial', () => {
    const blocked = reachUnless((from, to) =>
      from.type === 'pod' && from.pod.name === 'istiod' && to.type === 'ip'
        ? npMention('istio-system', 'default-deny', 'egress')
        : null,
    );
    const r = ask({ jwt: { token: good } }, blocked);
    expect(r.steps[3]?.verdict).toBe('conditional');
    expect(r.conditions.map((c) => c.code)).toContain('jwks-unresolved');
  });

  it('RequestAuthentication is HTTP-only: not-applicable on a TCP port', () => {
    const r = ask({ appProtocol: 'tcp', http: null, jwt: { token: good } });
    expect(r.steps[3]?.verdict).toBe('not-applicable');
  });
});

describe('fix for an ALLOW miss on the request principal', () => {
  it('asks for a token instead of widening the policy', () => {
    const r = ask({});
    expect(r.fix).toHaveLength(1);
    expect(r.fix[0]).toMatchObject({
      action: 'manual',
      target: { kind: 'AuthorizationPolicy', name: 'httpbin-jwt-policy' },
    });
    expect(r.fix[0]?.yaml).toMatch(/Send a valid JWT/);
  });
});

describe('a token without RequestAuthentication', () => {
  it('is echoed but gives no request principal', () => {
    const plain = pod('web', 'plain');
    const s = snapshotOf({
      pods: [plain, gw, istiod],
      istio:
        'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: rp, namespace: web}\nspec: {rules: [{from: [{source: {requestPrincipals: ["*"]}}]}]}\n',
    });
    const r = evaluateIstioLayers(s, flow(gw, plain, { method: 'GET', path: '/', jwt: { token: good } }), reachAll);
    expect(r.jwt).toMatchObject({ iss: ISS, signature: 'not-verified' });
    expect(r.steps[3]?.summary).toMatch(/not validated/);
    expect(r.steps[5]?.verdict).toBe('denied');
  });
});
