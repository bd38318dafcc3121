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
