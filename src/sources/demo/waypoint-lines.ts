/**
 * A waypoint's (Envoy) access log line for a request its RBAC filter refused, in the default TEXT
 * format: the waypoint's columns from a real line (istio/istio#43576: upstream cluster
 * `inbound-vip|PORT|http|HOST`, the downstream side an internal listener,
 * `envoy://internal_client_address/`), with the 403 and the response detail the RBAC filter sets
 * (`rbac_access_denied_matched_policy[ID]`, envoyproxy/envoy
 * source/extensions/filters/common/rbac/utility.cc responseDetail). Same form as
 * test/fixtures/logs/constructed/waypoint-deny.log.
 */
import type { Hop } from './log-lines.js';

export function waypointDeniedAccessLine(h: Hop, details: string): string {
  const time = `${h.time.slice(0, 23)}Z`;
  const authority = `${h.host.split('.')[0] ?? h.host}:${h.servicePort}`;
  return `[${time}] "${h.method} ${h.path} HTTP/1.1" 403 - ${details} - "-" 0 19 0 - "-" "curl/8.5.0" "${h.requestId}" "${authority}" "-" inbound-vip|${h.servicePort}|http|${h.host} - ${h.clusterIp}:${h.servicePort} envoy://internal_client_address/ - default`;
}
