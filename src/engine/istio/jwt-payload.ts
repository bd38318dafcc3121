/**
 * The JWT payload as the RBAC filter reads it from dynamic metadata. istiod gives every jwtRule's
 * provider `normalize_payload_in_metadata.space_delimited_claims` = the rule's `spaceDelimitedClaims`
 * plus `scope` and `permission` (istio/istio:pilot/pkg/security/authn/policy_applier.go,
 * buildSpaceDelimitedClaims); Envoy then turns each listed top-level string claim into the list of its
 * space-separated words, empty words dropped (envoyproxy/envoy:source/extensions/filters/http/jwt_authn/
 * authenticator.cc, setPayloadMetadata: absl::StrSplit(value, ' ', absl::SkipEmpty())). Nested claims and
 * non-string claims are left as they are.
 */
import type { JwtRule } from '../../model/istio.js';

const ALWAYS_SPACE_DELIMITED: readonly string[] = ['permission', 'scope'];

export function spaceDelimitedClaims(rule: Pick<JwtRule, 'spaceDelimitedClaims'> | null): readonly string[] {
  return [...new Set([...(rule?.spaceDelimitedClaims ?? []), ...ALWAYS_SPACE_DELIMITED])].sort();
}

export function payloadInMetadata(
  claims: Readonly<Record<string, unknown>>,
  spaceDelimited: readonly string[],
): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...claims };
  for (const name of spaceDelimited) {
    const v = claims[name];
    if (typeof v === 'string') out[name] = v.split(' ').filter((w) => w.length > 0);
  }
  return out;
}

/**
 * What Envoy's JWT library refuses in a payload before any provider looks at it, as its 401 body
 * (google/jwt_verify_lib src/jwt.cc Jwt::parseFromString and src/status.cc, with StructUtils::GetUInt64
 * in src/struct_utils.cc): iss, sub and jti must be strings; iat, nbf and exp numbers, from 0 to below
 * 2^64 (a fraction is truncated, not refused); aud a string or a list of strings. Null when it parses.
 */
export function payloadParseError(claims: Readonly<Record<string, unknown>>): string | null {
  for (const name of ['iss', 'sub'] as const)
    if (name in claims && typeof claims[name] !== 'string') return `Jwt payload [${name}] field is not a string`;
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    if (!(name in claims)) continue;
    const value = claims[name];
    if (typeof value !== 'number') return `Jwt payload [${name}] field is not an integer`;
    if (value < 0 || value >= 2 ** 64) return `Jwt payload [${name}] field is not a positive 64 bit integer`;
  }
  if ('jti' in claims && typeof claims['jti'] !== 'string') return 'Jwt payload [jti] field is not a string';
  const aud = claims['aud'];
  if ('aud' in claims && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string')))
    return 'Jwt payload [aud] field is not a string or string list';
  return null;
}
