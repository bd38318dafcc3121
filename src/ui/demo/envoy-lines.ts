/**
 * Log lines in the shapes Envoy's istio-proxy prints them (formats.md): the access log
 * line of a request and, only while the rbac logger is at debug, the RBAC filter's lines.
 */
import type { Explanation } from '../../engine/explanation.js';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function statusOf(e: Explanation): string {
  const s = e.expectedResponse.status;
  return typeof s === 'number' ? String(s) : '0';
}

export function detailsOf(e: Explanation): string {
  return e.expectedResponse.details ?? (e.verdict === 'allowed' ? 'via_upstream' : '-');
}

export function requestText(e: Explanation): string {
  const http = e.request.http;
  const port = e.request.servicePort ?? e.request.port;
  return http ? `${http.method ?? 'GET'} ${http.path ?? '/'} :${port}` : `${e.request.protocol} :${port}`;
}

/** `[time] "GET /path HTTP/1.1" 403 - rbac_access_denied_matched_policy[...] ...` (Istio's default format). */
export function accessLogLine(e: Explanation, time: number): string {
  const http = e.request.http;
  const req = http ? `${http.method ?? 'GET'} ${http.path ?? '/'} HTTP/1.1` : '- - -';
  const flags = e.expectedResponse.flags ?? '-';
  const bytes = e.expectedResponse.body ? e.expectedResponse.body.length : 0;
  return `[${iso(time)}] "${req}" ${statusOf(e)} ${flags} ${detailsOf(e)} - "-" 0 ${bytes} 0 - "-" "curl/8.5.0" "-" "${e.destination.name}:${e.request.servicePort ?? e.request.port}" "-" inbound|${e.request.port}|| - - - - -`;
}

/** The RBAC filter's debug pair: `checking request` then the decision, on one thread. */
export function rbacDebugLines(e: Explanation, time: number, thread: number): string[] {
  const denied = e.verdict === 'denied' && (e.decidedBy?.layer === 'authz-deny' || e.decidedBy?.layer === 'authz-allow');
  const ref = e.decidedBy?.policy?.rule !== null && e.decidedBy?.policy ? e.decidedBy.policy.ruleRef : 'none';
  const prefix = `${iso(time)}\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc`;
  const principal = e.source.principal ? `uriSanPeerCertificate: spiffe://${e.source.principal}, ` : '';
  return [
    `${prefix}:130\tchecking request: requestedServerName: outbound_.${e.request.servicePort ?? e.request.port}_._.${e.destination.name}, remoteAddress: ${e.source.ip ?? '10.0.0.1'}:0, directRemoteAddress: ${e.source.ip ?? '10.0.0.1'}:0, localAddress: ${e.destination.ip ?? '10.0.0.2'}:${e.request.port}, ssl: ${principal}headers: ':method', '${e.request.http?.method ?? 'GET'}'\tthread=${thread}`,
    `${prefix}:224\tenforced ${denied ? 'denied' : 'allowed'}, matched policy ${ref}\tthread=${thread}`,
  ];
}
