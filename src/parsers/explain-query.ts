/** Batch/check query objects (JSON/YAML) -> ExplainQuery, with one-line errors for bad fields. */
import { isRecord } from '../util/is-record.js';
export { isRecord } from '../util/is-record.js';
import type { Protocol } from '../model/k8s.js';
import type { Cni } from '../model/snapshot.js';
import type { ExplainQuery, HttpRequestSpec, JwtSpec, PeerSpec } from '../engine/index.js';
import { isIp } from '../util/cidr.js';
import { quotedValue } from '../util/cut-text.js';
import { sendableRequest } from './http-request-checks.js';
import { addHeader } from '../util/header-map.js';

export class QueryError extends Error {}

export function parseProtocol(v: unknown): Protocol | null {
  if (v === undefined || v === null) return null;
  const p = String(v).toUpperCase();
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  throw new QueryError(`protocol "${String(v)}" must be tcp, udp or sctp`);
}

export function parsePort(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535)
    throw new QueryError(`port "${String(v)}" must be a number between 1 and 65535`);
  return n;
}

/**
 * RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6; `T`/`Z` in either case,
 * fractions of a second as Go's time.RFC3339 parses them). Date.parse alone is lenient: it reads
 * "Nov 20" or "1" as dates in 2001 and rolls 2026-02-30 over to March 2, and an unreadable
 * --now used to skip the exp/nbf checks, so an expired token was explained as accepted.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `text` is an RFC 3339 time whose fields are in range. */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offHour, offMinute] = m.slice(1).map((f) => Number(f ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offHour <= 23 &&
    offMinute <= 59
  );
}

/** The clock for JWT exp/nbf: an RFC 3339 time, or null when not given; `label` names it in the error. */
export function parseNow(v: unknown, label = 'now'): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' && isRfc3339(v)) return v;
  throw new QueryError(
    `${label} "${String(v)}" is not an RFC 3339 time; write it as 2026-11-20T10:00:00Z, or with an offset: 2026-11-20T11:00:00+01:00`,
  );
}

function parsePeer(v: unknown, field: string): PeerSpec {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (isRecord(v)) {
    // a namespace under another key or of another type was dropped: the name was then looked up in
    // every namespace, and a workload of that name elsewhere answered for the one meant
    rejectUnknownKeys(v, ['namespace', 'kind', 'name', 'ip'], field);
    for (const key of ['namespace', 'kind', 'name'])
      if (v[key] !== undefined && v[key] !== null && typeof v[key] !== 'string')
        throw new QueryError(`${field}.${key} must be a string, got ${quotedValue(v[key])}`);
    if (v['ip'] !== undefined && (v['name'] !== undefined || v['namespace'] !== undefined || v['kind'] !== undefined))
      throw new QueryError(`${field} gives both ip and name: give {ip} or {namespace, kind, name}`);
    // a peer given as {ip} that is no address (999.1.1.1, a name) was answered as an out-of-cluster
    // peer; the same text as SRC/DST on the command line is an unknown peer
    if (v['ip'] !== undefined) {
      if (typeof v['ip'] === 'string' && isIp(v['ip'])) return { ip: v['ip'] };
      throw new QueryError(
        `${field}.ip ${quotedValue(v['ip'])} is not an IP address; give an IPv4 or IPv6 address, e.g. {"ip": "10.0.0.5"}, or {namespace, kind, name}`,
      );
    }
    if (typeof v['name'] === 'string') {
      return {
        name: v['name'],
        ...(typeof v['namespace'] === 'string' ? { namespace: v['namespace'] } : {}),
        ...(typeof v['kind'] === 'string' ? { kind: v['kind'] } : {}),
      };
    }
  }
  throw new QueryError(`${field} is required: "NS/NAME", {namespace, kind, name} or {ip}`);
}

/** A header value or http field: text as given; a number or boolean as its text; anything else refused. */
function scalarText(x: unknown, field: string): string | null {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
  throw new QueryError(`${field} must be a string, got ${Array.isArray(x) ? 'a list' : 'a map'}`);
}

function parseHttp(v: unknown): HttpRequestSpec | null {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) throw new QueryError('http must be an object {method, path, host, headers}');
  const headers: Record<string, string> = {};
  const given = v['headers'];
  // a list or a string here was dropped without a word: the request was asked without its headers
  if (given !== undefined && given !== null && !isRecord(given))
    throw new QueryError('http.headers must be a map of header name to value, e.g. {"x-user": "alice"}');
  if (isRecord(given))
    for (const [k, val] of Object.entries(given)) addHeader(headers, k, scalarText(val, `http.headers.${k}`) ?? '');
  const http = {
    method: scalarText(v['method'], 'http.method')?.toUpperCase() ?? null,
    path: scalarText(v['path'], 'http.path'),
    host: scalarText(v['host'], 'http.host'),
    headers,
  };
  const sent = sendableRequest(http, (field) => (field === 'header' ? 'http.headers' : `http.${field}`));
  if ('refusal' in sent) throw new QueryError(sent.refusal);
  return sent.http;
}

function parseJwt(v: unknown): JwtSpec | null {
  if (v === undefined || v === null) return null;
  if (isRecord(v) && typeof v['token'] === 'string') return { token: v['token'] };
  if (isRecord(v) && isRecord(v['claims'])) return { claims: v['claims'] };
  throw new QueryError('jwt must be {"token": "..."} or {"claims": {...}}');
}

export function parseCni(v: unknown): Cni | null {
  if (v === undefined || v === null) return null;
  if (v === 'calico' || v === 'cilium' || v === 'kube-router' || v === 'generic') return v;
  throw new QueryError(`cni "${String(v)}" must be calico, cilium, kube-router or generic`);
}

/** The addresses given for a jwksUri host: each must be an IP (a name or 10.0.0.300 was used as one). */
export function resolvedAddresses(host: string, ips: readonly unknown[]): string[] {
  return ips.map((ip) => {
    if (typeof ip === 'string' && isIp(ip)) return ip;
    throw new QueryError(
      `resolve ${host}: ${quotedValue(ip)} is not an IP address; give the addresses the host resolves to, e.g. ${host}=185.199.108.133`,
    );
  });
}

function parseResolve(v: unknown): Record<string, string[]> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new QueryError('resolve must map host names to IP lists');
  return Object.fromEntries(
    Object.entries(v).map(([k, ips]) => [k, resolvedAddresses(k, Array.isArray(ips) ? ips : [ips])]),
  );
}

const QUERY_KEYS = ['id', 'src', 'dst', 'port', 'protocol', 'http', 'mtls', 'jwt', 'extAuthz', 'now', 'resolve', 'cni'];

/** A typo in a key must not silently change the question (or make a check pass). */
export function rejectUnknownKeys(v: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(v).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new QueryError(
      `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} in ${where} (known: ${known.join(', ')})`,
    );
}

/** One batch query; `defaults` fill what the line leaves out (from the command line). */
export function parseQuery(
  v: unknown,
  defaults: Partial<ExplainQuery> = {},
  extraKeys: readonly string[] = [],
): ExplainQuery {
  if (!isRecord(v)) throw new QueryError('a query must be a JSON object with src, dst and port');
  rejectUnknownKeys(v, [...QUERY_KEYS, ...extraKeys], 'the query');
  if (isRecord(v['http'])) rejectUnknownKeys(v['http'], ['method', 'path', 'host', 'headers'], 'http');
  if (isRecord(v['jwt'])) rejectUnknownKeys(v['jwt'], ['token', 'claims'], 'jwt');
  const mtls = v['mtls'];
  if (mtls !== undefined && mtls !== null && typeof mtls !== 'boolean')
    throw new QueryError('mtls must be true or false');
  const ext = v['extAuthz'];
  if (ext !== undefined && ext !== null && ext !== 'allow' && ext !== 'deny')
    throw new QueryError('extAuthz must be "allow" or "deny"');
  const id = v['id'];
  // echoed back so answers can be matched to questions: one that cannot be echoed is refused
  if (id !== undefined && id !== null && typeof id !== 'number' && typeof id !== 'string')
    throw new QueryError('id must be a string or a number (it is echoed back on the answer)');
  // JSON.parse reads 1e400 as Infinity (written back as null) and rounds integers past 2^53: the
  // echoed id would not be the one written
  if (typeof id === 'number' && !Number.isFinite(id))
    throw new QueryError('id must be a finite number or a string (a number this large is read as infinity)');
  if (typeof id === 'number' && Number.isInteger(id) && !Number.isSafeInteger(id))
    throw new QueryError(
      `id ${String(id)} is an integer past 2^53, which JSON readers do not keep digit for digit; quote it, e.g. "id": "12345678901234567890"`,
    );
  return {
    id: typeof id === 'number' || typeof id === 'string' ? id : null,
    src: parsePeer(v['src'], 'src'),
    dst: parsePeer(v['dst'], 'dst'),
    port: parsePort(v['port']),
    protocol: parseProtocol(v['protocol']) ?? defaults.protocol ?? null,
    http: parseHttp(v['http']) ?? defaults.http ?? null,
    mtls: typeof mtls === 'boolean' ? mtls : (defaults.mtls ?? null),
    jwt: parseJwt(v['jwt']) ?? defaults.jwt ?? null,
    extAuthz: (ext as 'allow' | 'deny' | undefined) ?? defaults.extAuthz ?? null,
    now: parseNow(v['now']) ?? defaults.now ?? null,
    resolve: { ...(defaults.resolve ?? {}), ...parseResolve(v['resolve']) },
    namespace: defaults.namespace ?? null,
    cni: parseCni(v['cni']) ?? defaults.cni ?? null,
  };
}
