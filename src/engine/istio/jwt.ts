/**
 * The `jwt` step (RequestAuthentication, https://istio.io/latest/docs/reference/config/security/request_authentication/): invalid token, unknown issuer,
 * expired / not yet valid -> 401; audience mismatch -> 403; missing token passes without a
 * request principal. istiod fetches the JWKS: when its egress to the jwksUri host is
 * blocked, every token gets 401 `Jwt verification fails`.
 */
import type { Pod } from '../../model/k8s.js';
import type { JwtRule, RequestAuthentication } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition, ExpectedResponse, HttpRequestSpec, PolicyMention, Step } from '../explanation.js';
import type { Endpoint, FlowContext } from '../flow.js';
import type { ReachabilityCheck } from './types.js';
import { formatRuleRef, sectionRuleRef } from '../../model/rule-ref.js';
import { requestAuthenticationsFor } from './policy-index.js';
import { audiencesOf, decodeJwt, epochSeconds, jwtEcho, JWT_VERIFICATION_FAILS } from './jwt-token.js';
import { jwtDenied } from './responses.js';
import { payloadInMetadata, payloadParseError, spaceDelimitedClaims } from './jwt-payload.js';

export interface JwtOutcome {
  readonly step: Step;
  readonly echo: Record<string, unknown> | null;
  readonly requestPrincipal: string | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
  readonly response: ExpectedResponse | null;
  readonly conditions: readonly Condition[];
}

const UNROUTABLE_PROBE = '203.0.113.10';

function mention(ra: RequestAuthentication, index: number): PolicyMention {
  return {
    kind: 'RequestAuthentication',
    namespace: ra.namespace,
    name: ra.name,
    rule: index,
    ruleRef: formatRuleRef(sectionRuleRef('RequestAuthentication', ra.namespace, ra.name, 'jwtRules', index)),
  };
}

function jwksHost(uri: string): { host: string; port: number } | null {
  const m = /^(https?):\/\/([^/:]+)(?::(\d+))?/.exec(uri);
  if (!m) return null;
  return { host: m[2] ?? '', port: m[3] ? Number(m[3]) : m[1] === 'http' ? 80 : 443 };
}

type JwksCheck = { readonly blocked: boolean; readonly condition: Condition | null; readonly why: string };

/** Can istiod fetch the JWKS of this rule? Decided with --resolve, else a condition when egress may be blocked. */
function jwksReachable(rule: JwtRule, istiod: Pod, flow: FlowContext, reach: ReachabilityCheck): JwksCheck {
  if (rule.hasInlineJwks || rule.jwksUri === null) return { blocked: false, condition: null, why: 'inline JWKS' };
  const target = jwksHost(rule.jwksUri);
  if (!target) return { blocked: false, condition: null, why: 'jwksUri not parsed' };
  const from: Endpoint = { type: 'pod', pod: istiod };
  const ips = flow.resolve[target.host];
  if (ips && ips.length > 0) {
    const results = ips.map((ip) => reach(from, { type: 'ip', ip }, 'TCP', target.port));
    if (results.some((r) => r.allowed))
      return { blocked: false, condition: null, why: `istiod reaches ${target.host}` };
    return {
      blocked: true,
      condition: null,
      why: `istiod cannot reach ${target.host} (${ips.join(', ')}) on ${target.port}: ${results[0]?.summary ?? ''}`,
    };
  }
  const probe = reach(from, { type: 'ip', ip: UNROUTABLE_PROBE }, 'TCP', target.port);
  if (probe.allowed) return { blocked: false, condition: null, why: `istiod egress to external addresses is open` };
  return {
    blocked: false,
    why: `istiod egress is restricted and ${target.host} was not resolved`,
    condition: {
      code: 'jwks-unresolved',
      message: `istiod egress is restricted by NetworkPolicy; whether it can fetch ${rule.jwksUri} is unknown (give --resolve ${target.host}=IP)`,
    },
  };
}

type RuleAt = { ra: RequestAuthentication; rule: JwtRule; index: number };

function verdictOfRule(claims: Readonly<Record<string, unknown>>, match: RuleAt, now: number | null): string | null {
  const exp = claims['exp'];
  const nbf = claims['nbf'];
  if (now !== null && typeof exp === 'number' && exp < now) return 'Jwt is expired';
  if (now !== null && typeof nbf === 'number' && nbf > now) return 'Jwt not yet valid';
  const aud = audiencesOf(claims);
  if (match.rule.audiences.length > 0 && !aud.some((a) => match.rule.audiences.includes(a)))
    return 'Audiences in Jwt are not allowed';
  return null;
}

/**
 * Every jwtRule of every RequestAuthentication in force is one Envoy provider, and istiod joins
 * them with requires_any (istio/istio pilot/pkg/security/authn/policy_applier.go): with two rules
 * for one issuer (say different audiences), the token passes if any of them accepts it.
 */
function verdictFor(
  claims: Readonly<Record<string, unknown>>,
  rules: readonly RuleAt[],
  now: number | null,
): { error: string | null; match: RuleAt | null } {
  // the payload is parsed before any provider is chosen: a malformed one fails whatever its issuer
  const malformed = payloadParseError(claims);
  if (malformed !== null) return { error: malformed, match: null };
  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : null;
  const candidates = rules.filter((r) => r.rule.issuer === iss);
  if (candidates.length === 0) return { error: 'Jwt issuer is not configured', match: null };
  const accepting = candidates.find((r) => verdictOfRule(claims, r, now) === null);
  if (accepting) return { error: null, match: accepting };
  const first = candidates[0] as RuleAt;
  return { error: verdictOfRule(claims, first, now), match: first };
}

/**
 * istiod sets BypassCorsPreflight on the jwt_authn filter (istio/istio:pilot/pkg/security/authn/
 * policy_applier.go, convertToEnvoyJwtConfig), and Envoy then skips JWT checks for a request whose
 * method is exactly OPTIONS with non-empty Origin and Access-Control-Request-Method headers
 * (envoyproxy/envoy:source/extensions/filters/http/jwt_authn/filter.cc, isCorsPreflightRequest).
 */
export function isCorsPreflight(http: HttpRequestSpec | null): boolean {
  if (!http || http.method !== 'OPTIONS') return false;
  const value = (name: string) => Object.entries(http.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
  return value('origin') !== '' && value('access-control-request-method') !== '';
}

export function evaluateJwt(
  snapshot: Snapshot,
  flow: FlowContext,
  dst: Pod,
  http: boolean,
  istiod: Pod,
  reach: ReachabilityCheck,
  /** the RequestAuthentications in force when not the ones selecting `dst` (an ambient waypoint's) */
  bound?: readonly RequestAuthentication[],
): JwtOutcome {
  const ras = bound ?? requestAuthenticationsFor(snapshot, dst);
  const rules = ras.flatMap((ra) => ra.jwtRules.map((rule, index) => ({ ra, rule, index })));
  const all = rules.map((r) => mention(r.ra, r.index));
  const step = (verdict: Step['verdict'], summary: string, policies: readonly PolicyMention[] = all): Step => ({
    layer: 'jwt',
    verdict,
    effective: true,
    summary,
    policies,
  });
  const none = { echo: null, requestPrincipal: null, claims: null, response: null, conditions: [] };
  if (!http)
    return {
      ...none,
      step: step(
        'not-applicable',
        rules.length > 0
          ? 'RequestAuthentication applies to HTTP only; this port is TCP'
          : 'no RequestAuthentication; TCP port',
      ),
    };
  if (rules.length === 0) {
    const given = flow.jwt ? decodeJwt(flow.jwt) : null;
    const echo = given?.ok ? jwtEcho(given.claims) : null;
    return {
      ...none,
      echo,
      step: step(
        'allowed',
        flow.jwt
          ? 'no RequestAuthentication applies: the token is not validated and gives no request principal'
          : 'no RequestAuthentication applies',
      ),
    };
  }
  if (isCorsPreflight(flow.http))
    return {
      ...none,
      step: step(
        'allowed',
        'CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): the JWT filter lets it pass unchecked, without a request principal',
      ),
    };
  if (!flow.jwt)
    return {
      ...none,
      step: step('allowed', 'no token: RequestAuthentication lets the request pass without a request principal'),
    };
  const decoded = decodeJwt(flow.jwt);
  if (!decoded.ok)
    return { ...none, step: step('denied', `invalid token: ${decoded.error}`), response: jwtDenied(decoded.error) };
  const echo = jwtEcho(decoded.claims);
  const now = epochSeconds(flow.now);
  const { error, match } = verdictFor(decoded.claims, rules, now);
  const policies = match ? [mention(match.ra, match.index)] : all;
  if (error)
    return {
      ...none,
      echo,
      step: step('denied', `${error} (issuer ${String(decoded.claims['iss'])})`, policies),
      response: jwtDenied(error),
    };
  const accepted = (match as RuleAt).rule;
  const jwks = jwksReachable(accepted, istiod, flow, reach);
  if (jwks.blocked) {
    return {
      ...none,
      echo,
      step: step('denied', `istiod cannot fetch the JWKS, so every token is rejected: ${jwks.why}`, policies),
      response: jwtDenied(JWT_VERIFICATION_FAILS),
    };
  }
  const principal = `${String(decoded.claims['iss'])}/${String(decoded.claims['sub'] ?? '')}`;
  const conditions = jwks.condition ? [jwks.condition] : [];
  const nowNote = now === null ? '; exp/nbf not checked (no --now)' : '';
  return {
    echo,
    requestPrincipal: principal,
    claims: payloadInMetadata(decoded.claims, spaceDelimitedClaims(accepted)),
    response: null,
    conditions,
    step: step(
      jwks.condition ? 'conditional' : 'allowed',
      `token accepted (signature not verified): request principal ${principal}${nowNote}; ${jwks.why}`,
      policies,
    ),
  };
}
