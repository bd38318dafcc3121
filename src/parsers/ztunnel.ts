/**
 * ztunnel (Istio ambient) log records, text and JSON (istio/ztunnel src/telemetry.rs):
 * - text `TIME\tLEVEL\tTARGET[:span{fields}]\tMESSAGE\tk=v k="v"` (copies often turn tabs into spaces,
 *   and some drop the time column);
 * - JSON `{"level","time","scope","message", "src.addr": ..., span objects}`.
 * What they mean for authorization: the access record `connection complete` with
 * `error="connection closed due to policy rejection: explicitly denied by: NS/NAME"` or
 * `...: allow policies exist, but none allowed` (src/proxy.rs `AuthorizationRejectionError`),
 * and the policy trace of src/state.rs `assert_rbac`: `deny policy match`, `no allow policies matched`,
 * `dry-run: deny policy match`, `dry-run: no allow policies match` (1.29 printed `dry-run deny policy match`
 * without the colon: istio/ztunnel#1659, renamed by #1745). The source ztunnel's `connection timed out, maybe
 * a NetworkPolicy is blocking HBONE port 15008` (src/proxy.rs `MaybeHBONENetworkPolicyError`, istio/ztunnel#1229)
 * is a connect failure, not a policy decision.
 */
import type { LogOrigin, ZtunnelEndpoint, ZtunnelRecord, ZtunnelVerdict } from './log-event.js';
import { sanitizeEvidence } from '../util/redact.js';

type Fields = Record<string, string>;
type Json = Readonly<Record<string, unknown>>;

const REJECTION = 'connection closed due to policy rejection';
const MESSAGES = [
  'connection complete',
  'deny policy match',
  'no allow policies matched',
  'dry-run: deny policy match',
  'dry-run: no allow policies match',
  'dry-run deny policy match',
  'dry-run no allow policies match',
];
const HBONE_TIMEOUT = 'maybe a NetworkPolicy is blocking HBONE port 15008';

/**
 * Reads `k=v k="quoted \" v"` pairs from `s`; message text before the first pair is skipped. A quoted
 * value the line ends inside (a paste cut it) is kept as far as it goes, and its key is pushed to `cut`.
 */
export function parseKeyValues(s: string, cut?: string[]): Fields {
  const out: Fields = {};
  const re = /(?:^|\s)([A-Za-z_][\w.]*)=(?:"((?:[^"\\]|\\.)*)("?)|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const key = m[1] as string;
    const quoted = m[2];
    if (quoted === undefined) out[key] = m[4] ?? '';
    else {
      out[key] = quoted.replace(/\\(.)/g, '$1');
      if (m[3] === '') cut?.push(key);
    }
  }
  return out;
}

function endpoint(f: Fields, p: 'src' | 'dst'): ZtunnelEndpoint {
  const get = (k: string): string | null => {
    const v = f[`${p}.${k}`];
    return v === undefined || v === '' ? null : v;
  };
  return {
    addr: get('addr'),
    hboneAddr: get('hbone_addr'),
    workload: get('workload'),
    namespace: get('namespace'),
    identity: get('identity'),
    service: get('service'),
  };
}

function policyOf(text: string | undefined): { namespace: string; name: string } | null {
  if (text === undefined) return null;
  const slash = text.indexOf('/');
  return slash <= 0 ? null : { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** The verdict and the named policy, from the message and the error field. */
export function ztunnelVerdict(
  message: string,
  error: string | null,
  policyField: string | undefined,
): { verdict: ZtunnelVerdict | null; policy: { namespace: string; name: string } | null } {
  if (error !== null) {
    const at = error.indexOf(REJECTION);
    if (at !== -1) {
      const why = error.slice(at + REJECTION.length);
      const denied = /^: explicitly denied by:? (\S+)/.exec(why);
      if (denied) return { verdict: 'explicit-deny', policy: policyOf(denied[1]) };
      if (why.startsWith(': allow policies exist')) return { verdict: 'allow-miss', policy: null };
      // ztunnel before istio/ztunnel#1273 (2024-08) gave no reason
      return { verdict: 'rbac-rejected', policy: null };
    }
    if (error.includes('connection closed due to policy change')) return { verdict: 'late-rejection', policy: null };
    if (/http status: 401\b/.test(error)) return { verdict: 'refused-by-peer', policy: null };
    if (error.includes(HBONE_TIMEOUT)) return { verdict: 'hbone-connect-timeout', policy: null };
    return { verdict: null, policy: null };
  }
  if (message === 'deny policy match') return { verdict: 'explicit-deny', policy: policyOf(policyField) };
  if (message === 'no allow policies matched') return { verdict: 'allow-miss', policy: null };
  const dryRun = message.startsWith('dry-run') ? message.slice(7).replace(/^:? /, '') : null;
  if (dryRun === 'deny policy match') return { verdict: 'dry-run-deny', policy: policyOf(policyField) };
  if (dryRun === 'no allow policies match') return { verdict: 'dry-run-allow-miss', policy: null };
  return { verdict: null, policy: null };
}

function record(
  format: 'text' | 'json',
  head: { time: string | null; level: string | null; scope: string | null; message: string },
  f: Fields,
  lines: readonly string[],
  lineNo: number,
  origin: LogOrigin | null,
  cut: readonly string[] = [],
): ZtunnelRecord {
  const error = f['error'] ?? null;
  const found = ztunnelVerdict(head.message, error, f['policy']);
  // a policy name at the end of a value the paste cut may be cut too: the verdict stands, the name does not
  const policyCut = cut.includes('policy') || (cut.includes('error') && found.verdict === 'explicit-deny');
  const { verdict } = found;
  const policy = policyCut ? null : found.policy;
  const direction = f['direction'] === 'inbound' || f['direction'] === 'outbound' ? f['direction'] : null;
  const dst = endpoint(f, 'dst');
  // authpol lines name the enforcing workload (`proxy{wl=NS/POD}`) and the peer (`inbound{peer=IP:PORT}`)
  const wl = f['wl'] ?? f['proxy.wl'];
  const ownWl = policyOf(wl);
  const peer = f['peer'] ?? f['inbound.peer'] ?? null;
  const src = endpoint(f, 'src');
  return {
    kind: 'ZtunnelRecord',
    format,
    lineNo,
    time: head.time,
    origin,
    evidence: lines.map(sanitizeEvidence),
    level: head.level,
    scope: head.scope,
    message: head.message,
    verdict,
    policy,
    direction: direction ?? (ownWl !== null ? 'inbound' : null),
    src: src.addr === null && peer !== null ? { ...src, addr: peer } : src,
    dst: dst.workload === null && ownWl !== null ? { ...dst, namespace: ownWl.namespace, workload: ownWl.name } : dst,
    error,
    connectionId: f['id'] ?? f['inbound.id'] ?? f['outbound.id'] ?? null,
  };
}

const LEGACY =
  /^(\d{4}-\d\d-\d\dT\S+)\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+(?:(\S*\{[^}]*\}\S*):\s+)?(ztunnel::[\w:]+):\s+(.*)$/;
const RBAC_REJECTED = /^RBAC rejected conn=([^(\s]+)\(([^)]*)\)->(\S+)/;

/**
 * Early ztunnel (Istio 1.18, tracing's default format `TIME LEVEL span{..}: target: message`):
 * `RBAC rejected conn=SRC(IDENTITY)->DST` and the source's `failed ... err=http status: 401 Unauthorized`
 * (istio/istio#44232). The span id ties both lines of one connection.
 */
function parseLegacyZtunnel(line: string, lineNo: number, origin: LogOrigin | null): ZtunnelRecord | null {
  const m = LEGACY.exec(line);
  if (m === null) return null;
  const msg = m[5] ?? '';
  const spans = parseKeyValues((m[3] ?? '').replace(/[{}:]/g, ' '));
  const direction = (m[3] ?? '').startsWith('outbound')
    ? 'outbound'
    : (m[3] ?? '').startsWith('inbound')
      ? 'inbound'
      : null;
  const head = { time: m[1] ?? null, level: (m[2] ?? '').toLowerCase(), scope: m[4] ?? null, message: msg };
  const rejected = RBAC_REJECTED.exec(msg);
  if (rejected !== null) {
    const f: Fields = {
      ...spans,
      'src.addr': rejected[1] ?? '',
      'src.identity': rejected[2] ?? '',
      'dst.hbone_addr': rejected[3] ?? '',
    };
    return { ...record('text', head, f, [line], lineNo, origin), verdict: 'rbac-rejected', direction };
  }
  const err = /\berr=(.*)$/.exec(msg);
  if (msg.startsWith('failed') && err !== null && /http status: 401\b/.test(err[1] ?? '')) {
    const r = record('text', head, { ...spans, error: err[1] ?? '' }, [line], lineNo, origin);
    return { ...r, direction };
  }
  return null;
}

/** A text line; null when it is not a ztunnel record meshdbg uses. */
export function parseZtunnelText(line: string, lineNo: number, origin: LogOrigin | null): ZtunnelRecord | null {
  if (line.indexOf(' ztunnel::') !== -1) return parseLegacyZtunnel(line, lineNo, origin);
  // the target may carry spans whose fields are space-separated: `state:proxy{wl=..}:inbound{id=.. peer=..}`
  const m = /^(?:(\d{4}-\d\d-\d\dT\S+)\s+)?(trace|debug|info|warn|error)\s+((?:\{[^}]*\}|[^\s{])+)\s+(.*)$/.exec(line);
  if (m === null) return null;
  const rest = m[4] ?? '';
  const message = MESSAGES.find((msg) => rest.startsWith(msg));
  if (message === undefined) return null;
  // span fields ride on the target: `state:inbound{id=.. peer=..}:proxy{wl=..}`
  const cut: string[] = [];
  const f = {
    ...parseKeyValues((m[3] ?? '').replace(/[{}:]/g, ' ')),
    ...parseKeyValues(rest.slice(message.length), cut),
  };
  const head = { time: m[1] ?? null, level: m[2] ?? null, scope: m[3] ?? null, message };
  return record('text', head, f, [line], lineNo, origin, cut);
}

function flatten(obj: Json, prefix: string, out: Fields): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Json, key, out);
  }
}

/** true for a ztunnel JSON object (Istio's JSON shape with `message`, scope `access` or `ztunnel::...`). */
export function isZtunnelJson(obj: Json): boolean {
  const scope = obj['scope'];
  return (
    typeof obj['message'] === 'string' &&
    typeof scope === 'string' &&
    (scope === 'access' || scope.startsWith('ztunnel') || 'src.addr' in obj)
  );
}

export function ztunnelFromJson(
  obj: Json,
  lines: readonly string[],
  lineNo: number,
  origin: LogOrigin | null,
): ZtunnelRecord | null {
  const f: Fields = {};
  flatten(obj, '', f);
  const message = f['message'] ?? '';
  const head = { time: f['time'] ?? null, level: f['level'] ?? null, scope: f['scope'] ?? null, message };
  const r = record('json', head, f, lines, lineNo, origin);
  return r.verdict === null && !MESSAGES.includes(message) ? null : r;
}
