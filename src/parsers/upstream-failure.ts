/**
 * What an access-log line says about a failed request: RBAC, JWT, ext_authz, or an upstream
 * failure classified by its reason (timeout, refused, TLS, termination, no healthy upstream).
 */
import type { UpstreamFailure } from './log-event.js';

function has(text: string | null, needle: string): boolean {
  return text !== null && text.indexOf(needle) !== -1;
}

/** Classifies from details, transport failure reason and flags, most specific reason first. */
export function classifyUpstreamFailure(
  details: string | null,
  transportFailure: string | null,
  flags: readonly string[],
  bytesSent: number | null = null,
): UpstreamFailure | null {
  const d = details ?? '';
  const all = `${d} ${transportFailure ?? ''}`;
  const isReset =
    d.startsWith('upstream_reset_before_response_started') || d.startsWith('upstream_reset_after_response_started');
  const detail = d !== '' && d !== '-' ? d : (transportFailure ?? flags.join(','));
  if (isReset || transportFailure !== null) {
    if (has(all, 'connection_timeout') || has(all, 'connection timeout'))
      return { reason: 'connection-timeout', detail };
    if (
      has(all, 'onnection_refused') ||
      has(all, 'onnection refused') ||
      has(all, 'connect_error:_111') ||
      has(all, 'connect error: 111')
    )
      return { reason: 'connection-refused', detail };
    if (has(all, 'TLS_error') || has(all, 'TLS error') || has(all, 'SSL') || has(all, 'CERTIFICATE_VERIFY'))
      return { reason: 'tls', detail };
    if (has(all, 'connection_termination') || has(all, 'connection termination'))
      return { reason: 'connection-termination', detail };
    if (has(all, 'overflow')) return { reason: 'overflow', detail };
    if (has(all, 'connection_failure') || has(all, 'connection failure'))
      return { reason: 'connection-failure', detail };
    if (isReset) return { reason: 'reset', detail };
  }
  if (flags.includes('UH') || d === 'no_healthy_upstream') return { reason: 'no-healthy-upstream', detail };
  if (
    flags.includes('UT') ||
    d === 'response_timeout' ||
    d === 'upstream_response_timeout' ||
    d === 'upstream_per_try_timeout'
  )
    return { reason: 'response-timeout', detail };
  if (flags.includes('UC')) return { reason: 'connection-termination', detail };
  // body sizes of Envoy's router replies: a fingerprint when the details column is missing (Istio <= 1.8)
  if (bytesSent === 114)
    return { reason: 'connection-timeout', detail: `${flags.join(',') || '-'}, ${bytesSent} bytes` };
  if (bytesSent === 95)
    return { reason: 'connection-termination', detail: `${flags.join(',') || '-'}, ${bytesSent} bytes` };
  if (flags.includes('UF')) return { reason: 'connection-failure', detail };
  if (flags.includes('UO')) return { reason: 'overflow', detail };
  if (flags.includes('UR') || flags.includes('LR')) return { reason: 'reset', detail };
  return null;
}

const JWT_PREFIX = 'jwt_authn_access_denied{';

/** `jwt_authn_access_denied{Jwt_is_expired}` -> `Jwt is expired`. */
export function jwtMessageFromDetails(details: string | null): string | null {
  if (details === null || !details.startsWith(JWT_PREFIX)) return null;
  const end = details.lastIndexOf('}');
  const inner = end > JWT_PREFIX.length ? details.slice(JWT_PREFIX.length, end) : details.slice(JWT_PREFIX.length);
  return inner.replace(/_/g, ' ');
}

export function extAuthzOutcome(details: string | null, flags: readonly string[]): 'denied' | 'error' | null {
  if (details === 'ext_authz_error') return 'error';
  if (details === 'ext_authz_denied' || flags.includes('UAEX')) return 'denied';
  return null;
}
