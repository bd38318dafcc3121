/**
 * Calico: `calico-packet:` kernel log lines (written only by `action: Log` rules) and recorded
 * flow records (Whisker REST `FlowResponse` JSON and Goldmane `Flow` protojson), with policy hits
 * given as objects or as string labels in both name formats (<= 3.31 `ns/knp.default.x`,
 * >= 3.32 `knp:ns/x`). Calico never logs individual drops in calico-node.
 */
import type { CalicoPacketLog, CalicoPolicyHit } from './log-event.js';

export type PacketFields = Omit<CalicoPacketLog, 'kind' | 'lineNo' | 'origin' | 'evidence'>;

export function kv(line: string, key: string): string | null {
  const at = line.indexOf(` ${key}=`);
  const i = at === -1 ? (line.startsWith(`${key}=`) ? 0 : -1) : at + 1;
  if (i === -1) return null;
  const start = i + key.length + 1;
  let end = line.indexOf(' ', start);
  if (end === -1) end = line.length;
  const v = line.slice(start, end);
  return v === '' ? null : v;
}

const portOf = (v: string | null): number | null => (v === null || !/^\d+$/.test(v) ? null : Number(v));

/** true for an iptables LOG line (kernel log) with packet fields. */
export function looksLikePacketLog(line: string): boolean {
  return line.indexOf('IN=') !== -1 && line.indexOf(' SRC=') !== -1 && line.indexOf(' DST=') !== -1;
}

/** The syslog head of a packet line: `MMM d hh:mm:ss HOST [kernel: [uptime] ]`, as journald, rsyslog and ulogd print it. */
const SYSLOG_HEAD = /^([A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d) (\S+) (kernel: )?/;

export interface PacketHead {
  readonly time: string | null;
  readonly host: string | null;
  /** the kernel printed it (iptables `LOG`); false for ulogd's syslogemu output of `NFLOG` packets */
  readonly kernel: boolean;
  /** the log prefix of the rule (`--log-prefix` / `--nflog-prefix`), '' when the rule set none */
  readonly prefix: string;
}

/** Splits `[syslog head] [kernel: [uptime]] <prefix>IN=...` into its head and the rule's prefix. */
export function splitPacketHead(line: string): PacketHead {
  const inAt = line.indexOf('IN=');
  const m = SYSLOG_HEAD.exec(line);
  const kernelAt = m === null ? line.indexOf(' kernel: ') : -1;
  let prefixStart = m !== null ? m[0].length : kernelAt === -1 ? 0 : kernelAt + 9;
  if (line[prefixStart] === '[') {
    const close = line.indexOf('] ', prefixStart);
    if (close !== -1 && close < inAt) prefixStart = close + 2;
  }
  let time: string | null = m?.[1] ?? null;
  let host: string | null = m?.[2] ?? null;
  if (m === null && kernelAt !== -1) {
    const head = line.slice(0, kernelAt).trim().split(/\s+/);
    host = head.length >= 4 ? (head[head.length - 1] ?? null) : null;
    time = head.length >= 4 ? head.slice(0, head.length - 1).join(' ') : null;
  }
  const kernel = m !== null ? m[3] !== undefined : kernelAt !== -1;
  return { time, host, kernel, prefix: line.slice(prefixStart, inAt).trim().replace(/:$/, '') };
}

/** Parses `... kernel: [uptime] <prefix>IN=.. OUT=.. SRC=.. DST=.. PROTO=.. SPT=.. DPT=..`. */
export function parseCalicoPacketLine(line: string): PacketFields | null {
  if (!looksLikePacketLog(line)) return null;
  const head = splitPacketHead(line);
  return {
    time: head.time,
    prefix: head.prefix === '' ? 'calico-packet' : head.prefix,
    host: head.host,
    ...packetFields(line),
  };
}

/** The packet columns iptables LOG and ulogd print. */
export function packetFields(line: string): Omit<PacketFields, 'time' | 'prefix' | 'host'> {
  return {
    inInterface: kv(line, 'IN'),
    outInterface: kv(line, 'OUT'),
    src: kv(line, 'SRC'),
    dst: kv(line, 'DST'),
    protocol: kv(line, 'PROTO'),
    srcPort: portOf(kv(line, 'SPT')),
    dstPort: portOf(kv(line, 'DPT')),
  };
}

const SHORT_KINDS: Readonly<Record<string, string>> = {
  np: 'CalicoNetworkPolicy',
  gnp: 'GlobalNetworkPolicy',
  snp: 'StagedNetworkPolicy',
  sgnp: 'StagedGlobalNetworkPolicy',
  sknp: 'StagedKubernetesNetworkPolicy',
  knp: 'NetworkPolicy',
  kcnp: 'ClusterNetworkPolicy',
  pro: 'Profile',
};

function legacyName(part: string): { kind: string; namespace: string | null; name: string } {
  const slash = part.indexOf('/');
  const namespace = slash === -1 ? null : part.slice(0, slash);
  let rest = slash === -1 ? part : part.slice(slash + 1);
  const staged = rest.startsWith('staged:');
  if (staged) rest = rest.slice(7);
  if (rest.startsWith('knp.default.'))
    return { kind: staged ? 'StagedKubernetesNetworkPolicy' : 'NetworkPolicy', namespace, name: rest.slice(12) };
  if (rest.startsWith('kanp.adminnetworkpolicy.'))
    return { kind: 'AdminNetworkPolicy', namespace: null, name: rest.slice(24) };
  if (rest.startsWith('kbanp.baselineadminnetworkpolicy.'))
    return { kind: 'BaselineAdminNetworkPolicy', namespace: null, name: rest.slice(33) };
  if (rest.startsWith('__PROFILE__.')) return { kind: 'Profile', namespace: null, name: rest.slice(12) };
  if (namespace !== null)
    return { kind: staged ? 'StagedNetworkPolicy' : 'CalicoNetworkPolicy', namespace, name: rest };
  return { kind: staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy', namespace: null, name: rest };
}

function currentName(part: string): { kind: string; namespace: string | null; name: string } | null {
  const colon = part.indexOf(':');
  const kind = colon === -1 ? undefined : SHORT_KINDS[part.slice(0, colon)];
  if (kind === undefined) return null;
  const rest = part.slice(colon + 1);
  const slash = rest.indexOf('/');
  return slash === -1
    ? { kind, namespace: null, name: rest }
    : { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

const intOrNull = (s: string | undefined): number | null => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : null);

/** `<policyIdx>|<tier>|<namePart>|<action>|<ruleIdx>` -> hit; null when malformed. */
export function parsePolicyHitLabel(label: string): CalicoPolicyHit | null {
  const parts = label.split('|');
  if (parts.length !== 5) return null;
  const [idx, tier, namePart, action, rule] = parts as [string, string, string, string, string];
  const named = currentName(namePart) ?? legacyName(namePart);
  return {
    ...named,
    tier: tier || null,
    action: action || null,
    policyIndex: intOrNull(idx),
    ruleIndex: intOrNull(rule),
    trigger: null,
  };
}

type Json = Readonly<Record<string, unknown>>;

/** Reads `snake_case` or `camelCase` keys (protojson prints camelCase by default). */
export function pick(obj: Json, snake: string): unknown {
  if (snake in obj) return obj[snake];
  return obj[snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())];
}

function str(obj: Json, key: string): string | null {
  const v = pick(obj, key);
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function numOf(obj: Json, key: string): number | null {
  const v = pick(obj, key);
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null;
}

/** A policy hit given as an object or a label string. */
export function policyHitFrom(value: unknown): CalicoPolicyHit | null {
  if (typeof value === 'string') return parsePolicyHitLabel(value);
  if (value === null || typeof value !== 'object') return null;
  const o = value as Json;
  const kind = str(o, 'kind') ?? 'Unknown';
  let name = str(o, 'name') ?? '';
  if ((kind === 'NetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy') && name.startsWith('knp.default.'))
    name = name.slice(12);
  return {
    kind,
    name,
    namespace: str(o, 'namespace'),
    tier: str(o, 'tier'),
    action: str(o, 'action'),
    policyIndex: numOf(o, 'policy_index'),
    ruleIndex: numOf(o, 'rule_index'),
    trigger: policyHitFrom(pick(o, 'trigger')),
  };
}

export function policyHitsFrom(value: unknown): CalicoPolicyHit[] {
  if (!Array.isArray(value)) return [];
  const hits: CalicoPolicyHit[] = [];
  for (const v of value) {
    const hit = policyHitFrom(v);
    if (hit) hits.push(hit);
  }
  return hits;
}
