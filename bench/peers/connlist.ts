/**
 * The pairwise connectivity list that np-guard's tools print (NCA `--output_format
 * txt_no_fw_rules`, netpol-analyzer `list`): lines `SRC => DST : CONNS`, peers `ns/name[Kind]`
 * or an address range `a.b.c.d-e.f.g.h`. A pair with no line allows nothing.
 */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Allowed connections: everything, or per protocol port ranges (`negated`: all but those). */
export interface ConnSet {
  readonly all: boolean;
  readonly ranges: ReadonlyMap<Protocol, readonly (readonly [number, number])[]>;
  readonly negated?: boolean;
}

export const NO_CONNECTIONS: ConnSet = { all: false, ranges: new Map() };

export function allows(c: ConnSet, protocol: Protocol, port: number): boolean {
  if (c.all) return true;
  const listed = (c.ranges.get(protocol) ?? []).some(([lo, hi]) => lo <= port && port <= hi);
  return c.negated ? !listed : listed;
}

type Ranges = Map<Protocol, [number, number][]>;

function addRange(ranges: Ranges, proto: Protocol, item: string, text: string): void {
  const range = /^(\d+)(?:-(\d+))?$/.exec(item.trim());
  if (!range) throw new Error(`cannot read port "${item}" in "${text}"`);
  const lo = Number(range[1]);
  ranges.set(proto, [...(ranges.get(proto) ?? []), [lo, range[2] ? Number(range[2]) : lo]]);
}

/** netpol-analyzer's form: `SCTP 1-9002,9004-65535,TCP 80,UDP 53` (a bare range continues the protocol before it). */
function parseProtoList(t: string, ranges: Ranges): void {
  let proto: Protocol | null = null;
  for (const raw of t.split(',')) {
    let item = raw.trim();
    const named = /^(TCP|UDP|SCTP) (.+)$/.exec(item);
    if (named) {
      proto = named[1] as Protocol;
      item = named[2]!;
    }
    if (!proto) throw new Error(`cannot read connections "${t}"`);
    addRange(ranges, proto, item, t);
  }
}

const CUBE_KEYS = 'protocols|src_ports|dst_ports|methods|hosts|paths|icmp_type|icmp_code';

/**
 * NCA's form (nca/CoreDS/ConnectivityProperties.py, _get_cube_str_representation in
 * network-config-analyzer 2.1.0): cubes `{protocols:TCP,UDP,dst_ports:80,90-99}` joined by
 * commas; a dimension left out allows all of it. L7 dimensions are refused: inputs carry no Istio kinds.
 */
function parseCubes(t: string, ranges: Ranges): void {
  for (const cube of t.match(/\{[^}]*\}/g) ?? []) {
    const dims = new Map<string, string>();
    for (const part of cube.slice(1, -1).split(new RegExp(`,(?=(?:${CUBE_KEYS}):)`))) {
      const i = part.indexOf(':');
      dims.set(part.slice(0, i), part.slice(i + 1));
    }
    for (const key of dims.keys())
      if (key !== 'protocols' && key !== 'dst_ports') throw new Error(`NCA cube with ${key}: "${t}"`);
    const protos = dims
      .get('protocols')
      ?.split(',')
      .map((p) => p.trim()) ?? [...PROTOCOLS];
    for (const proto of protos) {
      if (!PROTOCOLS.includes(proto as Protocol)) continue; // ICMP and others: not probed
      for (const item of (dims.get('dst_ports') ?? '1-65535').split(',')) addRange(ranges, proto as Protocol, item, t);
    }
  }
}

export function parseConns(text: string): ConnSet {
  let t = text.trim();
  if (/^all( connections)?$/i.test(t)) return { all: true, ranges: new Map() };
  if (/^no connections$/i.test(t)) return NO_CONNECTIONS;
  const negated = /^all but /i.test(t);
  if (negated) t = t.slice('all but '.length).trim();
  const ranges: Ranges = new Map();
  if (t.startsWith('{')) parseCubes(t, ranges);
  else parseProtoList(t, ranges);
  return { all: false, ranges, negated };
}

export interface Connlist {
  /** every peer named on either side */
  readonly peers: ReadonlySet<string>;
  readonly pairs: ReadonlyMap<string, ConnSet>; // `${src} => ${dst}`
}

const LINE = /^(\S+) => (\S+) : (.+)$/;

export function parseConnlist(text: string): Connlist {
  const peers = new Set<string>();
  const pairs = new Map<string, ConnSet>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    peers.add(m[1]!);
    peers.add(m[2]!);
    pairs.set(`${m[1]} => ${m[2]}`, parseConns(m[3]!));
  }
  return { peers, pairs };
}

const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/**
 * `ns/name[Kind]` -> meshdbg's peer form `ns/Kind/name`; null for address ranges, Nodes, and
 * the kube-dns pod NCA simulates on its own (`kube-system/kube-dns-livesim`, from NCA's
 * nca/NetworkConfig/LiveSim/dns/dns_pods.yaml in network-config-analyzer 2.1.0), which no input declares.
 */
export function workloadPeer(peer: string): string | null {
  const m = /^([^/\s]+)\/([^/\s[]+)\[([A-Za-z]+)\]$/.exec(peer);
  if (!m || !WORKLOAD_KINDS.has(m[3]!) || m[2]!.endsWith('-livesim')) return null;
  return `${m[1]}/${m[3]}/${m[2]}`;
}

/** Ports worth probing: each range's ends and their neighbours, and a few common ports. */
export function probePorts(sets: Iterable<ConnSet>): number[] {
  const ports = new Set([1, 53, 80, 443, 8080, 65535]);
  for (const c of sets)
    for (const rs of c.ranges.values())
      for (const [lo, hi] of rs) for (const p of [lo - 1, lo, hi, hi + 1]) if (p >= 1 && p <= 65535) ports.add(p);
  return [...ports].sort((a, b) => a - b);
}
