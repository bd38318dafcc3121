/** Batch/check query objects (JSON/YAML) -> ExplainQuery, with one-line errors for bad fields. */
import type { Protocol } from '../model/k8s.js';
import type { Cni } from '../model/snapshot.js';
import type { ExplainQuery, HttpRequestSpec, JwtSpec, PeerSpec } from '../engine/index.js';

export class QueryError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

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

function parsePeer(v: unknown, field: string): PeerSpec {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (isRecord(v)) {
    if (typeof v['ip'] === 'string') return { ip: v['ip'] };
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

function parseHttp(v: unknown): HttpRequestSpec | null {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) throw new QueryError('http must be an object {method, path, host, headers}');
  const headers: Record<string, string> = {};
  if (isRecord(v['headers']))
    for (const [k, val] of Object.entries(v['headers'])) headers[k.toLowerCase()] = String(val);
  const str = (x: unknown): string | null => (x === undefined || x === null ? null : String(x));
  return { method: str(v['method'])?.toUpperCase() ?? null, path: str(v['path']), host: str(v['host']), headers };
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

function parseResolve(v: unknown): Record<string, string[]> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new QueryError('resolve must map host names to IP lists');
  return Object.fromEntries(
    Object.entries(v).map(([k, ips]) => [k, Array.isArray(ips) ? ips.map(String) : [String(ips)]]),
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
  return {
    id: typeof v['id'] === 'number' || typeof v['id'] === 'string' ? v['id'] : null,
    src: parsePeer(v['src'], 'src'),
    dst: parsePeer(v['dst'], 'dst'),
    port: parsePort(v['port']),
    protocol: parseProtocol(v['protocol']) ?? defaults.protocol ?? null,
    http: parseHttp(v['http']) ?? defaults.http ?? null,
    mtls: typeof mtls === 'boolean' ? mtls : (defaults.mtls ?? null),
    jwt: parseJwt(v['jwt']) ?? defaults.jwt ?? null,
    extAuthz: (ext as 'allow' | 'deny' | undefined) ?? defaults.extAuthz ?? null,
    now: typeof v['now'] === 'string' ? v['now'] : (defaults.now ?? null),
    resolve: { ...(defaults.resolve ?? {}), ...parseResolve(v['resolve']) },
    namespace: defaults.namespace ?? null,
    cni: parseCni(v['cni']) ?? defaults.cni ?? null,
  };
}
