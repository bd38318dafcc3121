/** What the client sees when an Istio layer denies (Envoy response details and flags:
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage). */
import type { ExpectedResponse } from '../explanation.js';
import { formatRbacDeniedDetails, type RuleRef } from '../../model/rule-ref.js';

export const RBAC_BODY = 'RBAC: access denied';
const RESET_BEFORE_HEADERS =
  'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

export function rbacDenied(ruleRef: RuleRef, http: boolean): ExpectedResponse {
  const details = formatRbacDeniedDetails(ruleRef);
  return http
    ? { status: 403, body: RBAC_BODY, flags: null, details }
    : { status: 'connection-reset', body: null, flags: null, details };
}

/** HTTP: the authz server's answer (403 by default); TCP: the connection is closed. */
export function extAuthzDenied(http: boolean): ExpectedResponse {
  return http
    ? { status: 403, body: null, flags: 'UAEX', details: 'ext_authz_denied' }
    : { status: 'connection-reset', body: null, flags: 'UAEX', details: 'ext_authz_denied' };
}

/** 401 (403 for audiences) with Envoy's jwt_authn status text. */
export function jwtDenied(message: string): ExpectedResponse {
  const status = message === 'Audiences in Jwt are not allowed' ? 403 : 401;
  return { status, body: message, flags: null, details: `jwt_authn_access_denied{${message.replace(/\s/g, '_')}}` };
}

/** An HTTP client proxy whose upstream connection was closed before any response: Envoy's 503 UC. */
export function connectionTerminated(): ExpectedResponse {
  return {
    status: 503,
    body: RESET_BEFORE_HEADERS,
    flags: 'UC',
    details: 'upstream_reset_before_response_started{connection_termination}',
  };
}

/** mTLS mismatch: a sidecar client gets Envoy's 503; a plaintext client without sidecar a reset (curl 56). */
export function mtlsMismatch(clientHasSidecar: boolean): ExpectedResponse {
  return clientHasSidecar
    ? connectionTerminated()
    : { status: 'connection-reset', body: null, flags: null, details: null };
}

/** The client's own sidecar has no config: nothing listens on the outbound capture port. */
export function clientProxyWithoutConfig(): ExpectedResponse {
  return {
    status: 'connection-refused',
    body: null,
    flags: null,
    details: 'istio-proxy has no configuration from istiod',
  };
}

/** The destination's sidecar never gets ready, so it has no ready endpoint. */
export function serverProxyWithoutConfig(clientHasSidecar: boolean): ExpectedResponse {
  return clientHasSidecar
    ? { status: 503, body: 'no healthy upstream', flags: 'UH', details: 'no_healthy_upstream' }
    : { status: 'connection-refused', body: null, flags: null, details: null };
}
