/**
 * Istio proxy access logs: the TEXT format of every version (<= 1.7 with the mixer column,
 * 1.8 without details, >= 1.9 with response code and termination details) and JSON encoding.
 * Text fields are read from both ends: request and numbers from the front, the six unquoted
 * address columns from the back, so abridged quoted columns do not shift them.
 */
import { parseIstioRuleRef } from '../model/rule-ref.js';
import type { AccessLogEntry } from './log-event.js';
import { rbacIdFromDetails } from './rbac.js';
import { classifyUpstreamFailure, extAuthzOutcome, jwtMessageFromDetails } from './upstream-failure.js';

export type AccessLogFields = Omit<
  AccessLogEntry,
  'kind' | 'lineNo' | 'origin' | 'evidence' | 'format' | 'rbac' | 'jwt' | 'extAuthz' | 'upstreamFailure' | 'direction'
>;

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Splits on spaces; `"..."` tokens run to the next `" ` (or line end); `[...]` to `]`. */
export function tokenizeAccessLog(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34) {
      let end = line.indexOf('" ', i + 1);
      if (end === -1) end = line.endsWith('"') && n - 1 > i ? n - 1 : n;
      tokens.push({ text: line.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    if (c === 91 && tokens.length === 0) {
      const end = line.indexOf(']', i);
      const stop = end === -1 ? n : end;
      tokens.push({ text: line.slice(i + 1, stop), quoted: false });
      i = stop + 1;
      continue;
    }
    let end = i;
    while (end < n && line.charCodeAt(end) !== 32 && line.charCodeAt(end) !== 9) end++;
    tokens.push({ text: line.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/** `-` is Envoy's empty value; `...` / `…` is a column a reporter elided (kubeflow/community-distribution#2796) */
const dash = (s: string | undefined): string | null =>
  s === undefined || s === '-' || s === '' || s === '...' || s === '\u2026' ? null : s;
const num = (s: string | undefined): number | null => {
  const v = dash(s);
  if (v === null) return null;
  const x = Number(v);
  return Number.isFinite(x) ? x : null;
};

function splitRequest(req: string): { method: string | null; path: string | null; protocol: string | null } {
  const a = req.indexOf(' ');
  const b = req.lastIndexOf(' ');
  if (a === -1 || a === b) return { method: dash(req), path: null, protocol: null };
  return { method: dash(req.slice(0, a)), path: dash(req.slice(a + 1, b)), protocol: dash(req.slice(b + 1)) };
}

const isNumber = (t: Token | undefined): boolean => t !== undefined && !t.quoted && /^\d+$/.test(t.text);

/**
 * The columns between the flags and the byte counts, by era (istio/istio:pilot/pkg/model/telemetry_logging.go
 * and tags 1.6.0/1.8.0 `accesslog.go`): >= 1.9 `DETAILS TERMINATION "XPORT"`, 1.8 `"XPORT"`,
 * <= 1.7 `"MIXER_STATUS" "XPORT"`; the plain Envoy default format has none.
 */
function middleColumns(
  tokens: readonly Token[],
  at: number,
): { details: string | null; termination: string | null; xport: string | null; next: number } {
  let i = at;
  let details: string | null = null;
  let termination: string | null = null;
  if (tokens[i] !== undefined && !tokens[i]!.quoted && !isNumber(tokens[i])) {
    details = dash(tokens[i++]!.text);
    termination = dash(tokens[i++]?.text);
  }
  if (tokens[i]?.quoted && tokens[i + 1]?.quoted && isNumber(tokens[i + 2])) i++; // the mixer status column
  const xport = tokens[i]?.quoted ? dash(tokens[i++]!.text) : null;
  return { details, termination, xport, next: i };
}

/**
 * The plain Envoy default format ends with five quoted columns and no address columns
 * (envoyproxy.io docs `configuration/observability/access_log/usage`, "Default format string").
 */
function plainEnvoyTail(quoted: readonly string[]): Partial<AccessLogFields> {
  return {
    forwardedFor: dash(quoted[0]),
    userAgent: dash(quoted[1]),
    requestId: dash(quoted[2]),
    authority: dash(quoted[3]),
    upstreamHost: dash(quoted[4]),
  };
}

/** The proxy's own word that it refused the request: RBAC or ext_authz details, or the UAEX flag. */
function saysDenied(details: string | null, flags: string): boolean {
  if (details !== null && (rbacIdFromDetails(details) !== undefined || details.startsWith('ext_authz_'))) return true;
  return flags.split(',').includes('UAEX');
}

/**
 * A line cut short after its details (a ticket paste or a terminal copy that stopped mid-line): the
 * request, status, flags and details are there, the peers and cluster are not. Kept only when the
 * details or flags say the proxy refused the request, so the refusal is not lost.
 */
function cutLineFields(
  time: string | null,
  request: string,
  code: string,
  flags: string,
  mid: { details: string | null; termination: string | null; xport: string | null },
): AccessLogFields {
  const { method, path, protocol } = splitRequest(request);
  return {
    time,
    method,
    path,
    protocol,
    status: Number(code),
    flags: flags === '-' ? [] : flags.split(','),
    responseCodeDetails: mid.details,
    terminationDetails: mid.termination,
    transportFailureReason: mid.xport,
    bytesReceived: null,
    bytesSent: null,
    durationMs: null,
    forwardedFor: null,
    userAgent: null,
    requestId: null,
    authority: null,
    upstreamHost: null,
    upstreamCluster: null,
    upstreamLocalAddress: null,
    downstreamLocalAddress: null,
    downstreamRemoteAddress: null,
    requestedServerName: null,
    routeName: null,
  };
}

/** Parses one TEXT access-log line; null when it does not have the access-log shape. */
export function parseTextAccessLog(line: string): AccessLogFields | null {
  const tokens = tokenizeAccessLog(line);
  let i = 0;
  let time: string | null = null;
  if (line.charCodeAt(0) === 91) time = tokens[i++]?.text ?? null;
  const req = tokens[i++];
  const code = tokens[i++];
  const flags = tokens[i++];
  if (!req?.quoted || code === undefined || flags === undefined || !/^\d{1,3}$/.test(code.text)) return null;
  const mid = middleColumns(tokens, i);
  i = mid.next;
  const bytesIn = num(tokens[i++]?.text);
  const bytesOut = num(tokens[i++]?.text);
  const duration = num(tokens[i++]?.text);
  i++; // upstream service time
  const quoted: string[] = [];
  while (tokens[i]?.quoted) quoted.push(tokens[i++]!.text);
  const tail = tokens.slice(i).map((t) => t.text);
  const plain = tail.length === 0 && quoted.length === 5;
  if (!plain && (tail.length < 5 || quoted.length < 2)) {
    return saysDenied(mid.details, flags.text) ? cutLineFields(time, req.text, code.text, flags.text, mid) : null;
  }
  const [cluster, upLocal, downLocal, downRemote, sni, route] = tail;
  const { method, path, protocol } = splitRequest(req.text);
  return {
    time,
    method,
    path,
    protocol,
    status: Number(code.text),
    flags: flags.text === '-' ? [] : flags.text.split(','),
    responseCodeDetails: mid.details,
    terminationDetails: mid.termination,
    transportFailureReason: mid.xport,
    bytesReceived: bytesIn,
    bytesSent: bytesOut,
    durationMs: duration,
    forwardedFor: quoted.length >= 4 ? dash(quoted[0]) : null,
    userAgent: quoted.length >= 4 ? dash(quoted[1]) : null,
    requestId: quoted.length >= 5 ? dash(quoted[2]) : null,
    authority: dash(quoted[quoted.length - 2]),
    upstreamHost: dash(quoted[quoted.length - 1]),
    upstreamCluster: dash(cluster),
    upstreamLocalAddress: dash(upLocal),
    downstreamLocalAddress: dash(downLocal),
    downstreamRemoteAddress: dash(downRemote),
    requestedServerName: dash(sni),
    routeName: dash(route),
    ...(plain ? plainEnvoyTail(quoted) : {}),
  };
}

const CUT_REQUEST_HEAD = /^[A-Z]{3,10} \S+ HTTP\/[\d.]+" \d{3} /;

/**
 * A TEXT access-log line whose head a ticket paste cut off: the line starts inside the request
 * column (`GET /path HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] ...`, as pasted in
 * kubeflow/community-distribution#2796). Returns the line with the request's opening quote put
 * back, so parseTextAccessLog reads it without a time; null for any other line.
 */
export function restoreCutRequestHead(line: string): string | null {
  const c = line.charCodeAt(0);
  if (c < 65 || c > 90 || line.indexOf('HTTP/') === -1) return null;
  return CUT_REQUEST_HEAD.test(line) ? `"${line}` : null;
}

function jsonString(obj: Readonly<Record<string, unknown>>, key: string): string | null {
  const v = obj[key];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' ? dash(v) : null;
}

/** true when a parsed JSON object is an access-log entry. */
export function isJsonAccessLog(obj: Readonly<Record<string, unknown>>): boolean {
  return 'response_code' in obj || 'response_flags' in obj;
}

/**
 * Istio's JSON keys first, then Envoy Gateway's default JSON format, which names the request
 * columns after their headers (`x-envoy-origin-path`, `:authority`, `user-agent`, `x-forwarded-for`,
 * `x-request-id`: gateway.envoyproxy.io docs, tasks/observability/proxy-observability "Default Access Log").
 */
export function accessLogFieldsFromJson(obj: Readonly<Record<string, unknown>>): AccessLogFields {
  const s = (k: string, gatewayKey?: string): string | null =>
    jsonString(obj, k) ?? (gatewayKey === undefined ? null : jsonString(obj, gatewayKey));
  const n = (k: string): number | null => num(s(k) ?? undefined);
  const flags = s('response_flags');
  return {
    time: s('start_time'),
    method: s('method'),
    path: s('path', 'x-envoy-origin-path'),
    protocol: s('protocol'),
    status: n('response_code'),
    flags: flags === null ? [] : flags.split(','),
    responseCodeDetails: s('response_code_details'),
    terminationDetails: s('connection_termination_details'),
    transportFailureReason: s('upstream_transport_failure_reason'),
    bytesReceived: n('bytes_received'),
    bytesSent: n('bytes_sent'),
    durationMs: n('duration'),
    forwardedFor: s('x_forwarded_for', 'x-forwarded-for'),
    userAgent: s('user_agent', 'user-agent'),
    requestId: s('request_id', 'x-request-id'),
    authority: s('authority', ':authority'),
    upstreamHost: s('upstream_host'),
    upstreamCluster: s('upstream_cluster'),
    upstreamLocalAddress: s('upstream_local_address'),
    downstreamLocalAddress: s('downstream_local_address'),
    downstreamRemoteAddress: s('downstream_remote_address'),
    requestedServerName: s('requested_server_name'),
    routeName: s('route_name'),
  };
}

/** Adds what the fields mean: direction, RBAC / JWT / ext_authz outcome, upstream failure. */
export function interpretAccessLog(
  f: AccessLogFields,
): Pick<AccessLogEntry, 'direction' | 'rbac' | 'jwt' | 'extAuthz' | 'upstreamFailure'> {
  const cluster = f.upstreamCluster ?? '';
  const direction = cluster.startsWith('inbound|') ? 'inbound' : cluster.startsWith('outbound|') ? 'outbound' : null;
  const rbacRaw = rbacIdFromDetails(f.responseCodeDetails ?? '') ?? rbacIdFromDetails(f.terminationDetails ?? '');
  const rbac = rbacRaw
    ? { policyId: rbacRaw.policyId, ruleRef: rbacRaw.policyId === null ? null : parseIstioRuleRef(rbacRaw.policyId) }
    : null;
  const jwtMessage = jwtMessageFromDetails(f.responseCodeDetails);
  const failed = rbac === null && jwtMessage === null && f.status !== null && (f.status >= 500 || f.status === 0);
  return {
    direction,
    rbac,
    jwt: jwtMessage === null ? null : { message: jwtMessage },
    extAuthz: extAuthzOutcome(f.responseCodeDetails, f.flags),
    upstreamFailure: failed
      ? classifyUpstreamFailure(f.responseCodeDetails, f.transportFailureReason, f.flags, f.bytesSent)
      : null,
  };
}
